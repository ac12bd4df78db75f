import { describe, expect, it } from "vitest";
import {
  bareAddress,
  clientAddress,
  DEFAULT_TRUSTED_PROXIES,
  parseTrustedProxies,
  trustedProxyList,
} from "./client-address";

const loopback = trustedProxyList(parseTrustedProxies(DEFAULT_TRUSTED_PROXIES));
const behindIngress = trustedProxyList(parseTrustedProxies("127.0.0.0/8,::1/128,10.0.0.0/8,fd00::/8"));

describe("the client address", () => {
  it("is the socket's peer when the peer is not a trusted proxy, whatever X-Forwarded-For says", () => {
    expect(clientAddress("198.51.100.23", "203.0.113.99", loopback)).toBe("198.51.100.23");
    expect(clientAddress("198.51.100.23", "127.0.0.1, 10.0.0.1", loopback)).toBe("198.51.100.23");
    expect(clientAddress("2001:db8::7", "203.0.113.99", loopback)).toBe("2001:db8::7");
  });

  it("is what a trusted peer forwarded: the right-most entry that is not a trusted proxy", () => {
    expect(clientAddress("127.0.0.1", "203.0.113.5", loopback)).toBe("203.0.113.5");
    expect(clientAddress("::1", "203.0.113.5", loopback)).toBe("203.0.113.5");
    // A client's own entry sits left of what its proxies appended, and is never reached.
    expect(clientAddress("10.0.0.3", "6.6.6.6, 203.0.113.5, 10.0.0.2", behindIngress)).toBe("203.0.113.5");
    expect(clientAddress("10.0.0.3", "6.6.6.6, 203.0.113.5", loopback)).toBe("10.0.0.3");
  });

  it("is the left-most entry when every hop is trusted, and the peer when nothing was forwarded", () => {
    expect(clientAddress("127.0.0.1", "10.0.0.9, 127.0.0.1", behindIngress)).toBe("10.0.0.9");
    expect(clientAddress("127.0.0.1", null, loopback)).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", " , ", loopback)).toBe("127.0.0.1");
  });

  it("reads IPv4-mapped peers, ports and brackets the way proxies write them", () => {
    expect(clientAddress("::ffff:127.0.0.1", "203.0.113.5:41234", loopback)).toBe("203.0.113.5");
    expect(clientAddress("::ffff:198.51.100.7", "203.0.113.5", loopback)).toBe("198.51.100.7");
    expect(clientAddress("127.0.0.1", "[2001:db8::5]:443", loopback)).toBe("2001:db8::5");
    expect(bareAddress("fe80::1%eth0")).toBe("fe80::1");
  });

  it("is unknown without a peer, or when a trusted proxy forwarded something that is not an address", () => {
    expect(clientAddress(null, "203.0.113.5", loopback)).toBeNull();
    expect(clientAddress("127.0.0.1", "unknown", loopback)).toBeNull();
    expect(clientAddress("198.51.100.23", "unknown", loopback)).toBe("198.51.100.23");
  });
});

describe("TRUSTED_PROXIES", () => {
  it("takes CIDRs and bare addresses, and refuses anything else", () => {
    expect(parseTrustedProxies(" 10.0.0.0/8, 192.168.1.7 ,fd00::/8")).toEqual([
      "10.0.0.0/8",
      "192.168.1.7/32",
      "fd00::/8",
    ]);
    expect(parseTrustedProxies("")).toEqual([]);
    for (const wrong of ["10.0.0.0/33", "::1/129", "localhost", "10.0.0.0/8/1", "10.0.0.0/x", "10.0.0.0/"])
      expect(() => parseTrustedProxies(wrong), wrong).toThrow(/is not an IP address or CIDR/);
  });
});
