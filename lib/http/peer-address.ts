// The socket address of a request, carried to route handlers and pages in a header. Next.js gives them a
// Request without its socket, and `next start` fills X-Forwarded-For from the socket only when the client
// sent none (node_modules/next/dist/server/base-server.js), so a client writing its own header would hide
// where it connects from. Node publishes every incoming request on the `http.server.request.start`
// diagnostics channel before any 'request' listener (Next's included) runs: there the header is set from
// the socket, replacing whatever the client sent. Its value starts with a secret of this process, so a
// request that arrived before the subscription (or in a process without it) cannot pass one off.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

export const PEER_HEADER = "x-vigil-peer";

const secretKey = Symbol.for("vigil.peerSecret");
const subscribedKey = Symbol.for("vigil.peerStamping");
type GlobalWithPeer = typeof globalThis & { [secretKey]?: string; [subscribedKey]?: boolean };

/** The process's secret, on globalThis: Next bundles instrumentation and routes apart, one process shares it. */
function secret(): string {
  const g = globalThis as GlobalWithPeer;
  g[secretKey] ??= randomBytes(16).toString("hex");
  return g[secretKey];
}

/** The header value that says "this request came from `address`" in this process. */
export const peerHeaderValue = (address: string) => `${secret()} ${address}`;

/** Stamps every request this process's HTTP servers receive from now on (once per process). */
export function stampPeerAddresses(): void {
  const g = globalThis as GlobalWithPeer;
  if (g[subscribedKey]) return;
  g[subscribedKey] = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    if (socket.remoteAddress) request.headers[PEER_HEADER] = peerHeaderValue(socket.remoteAddress);
    else delete request.headers[PEER_HEADER];
  });
}

/** The stamped socket address, or null when the header is missing or was not written by this process. */
export function peerAddress(headers: Headers): string | null {
  const value = headers.get(PEER_HEADER);
  const space = value?.indexOf(" ") ?? -1;
  if (!value || space < 0) return null;
  const given = Buffer.from(value.slice(0, space));
  const expected = Buffer.from(secret());
  return given.length === expected.length && timingSafeEqual(given, expected) ? value.slice(space + 1) : null;
}
