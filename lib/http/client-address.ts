// Who sent a request, for the audit log: the socket's peer, unless that peer is a proxy we trust
// (TRUSTED_PROXIES), in which case X-Forwarded-For is walked from the right past every trusted proxy.
// Anything a client writes into X-Forwarded-For itself sits left of what its proxies appended, so it is
// never reached while an untrusted hop comes first.
import { BlockList, isIP } from "node:net";

export const DEFAULT_TRUSTED_PROXIES = "127.0.0.0/8,::1/128";

/** `10.0.0.0/8,192.168.1.7,fd00::/8` as CIDRs (`addr/prefix`); a bare address is one host. */
export function parseTrustedProxies(text: string): string[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [address = "", prefixText, ...rest] = entry.split("/");
      const family = isIP(address);
      const max = family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
      if (!family || rest.length > 0 || !(prefix >= 0 && prefix <= max))
        throw new Error(`"${entry}" is not an IP address or CIDR`);
      return `${address}/${prefix}`;
    });
}

const lists = new Map<string, BlockList>();

/** The CIDRs as a BlockList, built once per distinct list. */
export function trustedProxyList(cidrs: readonly string[]): BlockList {
  const key = cidrs.join(",");
  let list = lists.get(key);
  if (!list) {
    list = new BlockList();
    for (const cidr of cidrs) {
      const [address, prefix] = cidr.split("/") as [string, string];
      list.addSubnet(address, Number(prefix), isIP(address) === 4 ? "ipv4" : "ipv6");
    }
    lists.set(key, list);
  }
  return list;
}

/**
 * An address as it appears in a socket or an X-Forwarded-For entry, bare: without brackets, port or zone,
 * an IPv4-mapped IPv6 address as IPv4. Null when it is not an IP address ("unknown", a host name).
 */
export function bareAddress(raw: string | null | undefined): string | null {
  let text = raw?.trim() ?? "";
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  text = text.replace(/%.*$/, "").replace(/^::ffff:(?=[\d.]+$)/i, "");
  return isIP(text) ? text : null;
}

const isTrusted = (address: string, trusted: BlockList) =>
  trusted.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");

/**
 * The client: the peer when it is not a trusted proxy; otherwise the right-most X-Forwarded-For entry that
 * is not one (the left-most when every hop is trusted). Null without a peer, or when a trusted proxy
 * forwarded something that is not an address.
 */
export function clientAddress(peer: string | null, forwardedFor: string | null, trusted: BlockList): string | null {
  let client = bareAddress(peer);
  if (!client) return null;
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  while (hops.length > 0 && isTrusted(client, trusted)) {
    client = bareAddress(hops.pop());
    if (!client) return null;
  }
  return client;
}
