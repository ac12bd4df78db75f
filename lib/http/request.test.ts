import { describe, expect, it } from "vitest";
import { clientIp } from "./request";

const ipOf = (headers: Record<string, string>) => clientIp(new Request("http://vigil.test/", { headers }));

describe("clientIp", () => {
  it("takes the address the nearest proxy appended, not what the client wrote before it", () => {
    expect(ipOf({ "x-forwarded-for": "10.9.9.9, 203.0.113.5" })).toBe("203.0.113.5");
    expect(ipOf({ "x-forwarded-for": "203.0.113.5" })).toBe("203.0.113.5");
    expect(ipOf({ "x-forwarded-for": "::ffff:198.51.100.7" })).toBe("198.51.100.7");
  });

  it("falls back to X-Real-IP, and is null for anything that is not an address", () => {
    expect(ipOf({ "x-real-ip": "2001:db8::1" })).toBe("2001:db8::1");
    expect(ipOf({ "x-forwarded-for": "10.0.0.1, ", "x-real-ip": "192.0.2.1" })).toBe("192.0.2.1");
    expect(ipOf({ "x-forwarded-for": "unknown" })).toBeNull();
    expect(ipOf({})).toBeNull();
  });
});
