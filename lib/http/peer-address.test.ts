import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { PEER_HEADER, peerAddress, peerHeaderValue, stampPeerAddresses } from "./peer-address";
import { clientIp } from "./request";

/** Serves one request and hands back the headers the handler saw, as a route handler's Request has them. */
async function headersSeenBy(send: Record<string, string>): Promise<Headers> {
  let seen!: IncomingHttpHeaders;
  const server = createServer((req, res) => {
    seen = req.headers;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: send });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return new Headers(Object.entries(seen).map(([name, value]): [string, string] => [name, String(value)]));
}

describe("the socket address of a request", () => {
  it("is unknown when nobody stamped it: a header the client wrote is not believed", async () => {
    const headers = await headersSeenBy({ [PEER_HEADER]: "0123456789abcdef0123456789abcdef 203.0.113.66" });
    expect(peerAddress(headers)).toBeNull();
    expect(peerAddress(new Headers({ [PEER_HEADER]: "203.0.113.66" }))).toBeNull();
  });

  it("is stamped from the socket once stamping is on, replacing what the client sent", async () => {
    stampPeerAddresses();
    const headers = await headersSeenBy({
      [PEER_HEADER]: peerHeaderValue("203.0.113.66").replace(/^\S+/, "guess"),
      "x-forwarded-for": "203.0.113.66",
    });
    expect(peerAddress(headers)).toBe("127.0.0.1");
    // Loopback is not trusted here: the forged X-Forwarded-For does not reach the audit log.
    expect(clientIp(new Request("http://vigil.test/", { headers }), [])).toBe("127.0.0.1");
    // With loopback trusted (the default, for a proxy on the same machine), what it forwarded counts.
    expect(clientIp(new Request("http://vigil.test/", { headers }), ["127.0.0.0/8"])).toBe("203.0.113.66");
  });
});
