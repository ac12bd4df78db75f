// Reading what a request carries: its JSON body (bounded), its query string, a Bearer token, the client's IP.
import { AppError } from "../errors";
import { getRuntime } from "../runtime";
import { clientAddress, trustedProxyList } from "./client-address";
import { peerAddress } from "./peer-address";

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * The body as JSON ({} when empty). `replaceNul` is for vendors' webhooks: PostgreSQL stores no NUL
 * character (U+0000) in text or jsonb, and a sender that is refused never retries (4xx) or retries for
 * ever (5xx), so each NUL becomes U+FFFD instead. Our own API refuses such a value with a 400.
 */
export async function readJsonBody(
  req: Request,
  limitBytes = DEFAULT_BODY_LIMIT,
  options: { replaceNul?: boolean } = {},
): Promise<unknown> {
  const raw = await readRawBody(req, limitBytes);
  if (raw.trim() === "") return {};
  return parseJsonText(raw, options);
}

/**
 * Deeper than any body a door takes (Alertmanager's payload nests 4 levels, a Slack view 6). JSON.parse
 * accepts any depth, but what walks the value afterwards (JSON.stringify, zod, our own recursion) runs out
 * of stack on a body of 100,000 brackets: refused up front instead of answered 500.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether JSON text nests arrays and objects deeper than `max`, found in one pass without parsing it. */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export function parseJsonText(raw: string, options: { replaceNul?: boolean } = {}): unknown {
  if (nestsDeeperThan(raw)) {
    throw new AppError("invalid", `The request body nests deeper than ${MAX_JSON_DEPTH} levels`, {
      fieldErrors: [{ path: "(body)", message: `nested deeper than ${MAX_JSON_DEPTH} levels` }],
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw) as unknown;
  } catch {
    throw new AppError("invalid", "The request body is not valid JSON", {
      fieldErrors: [{ path: "(body)", message: "not valid JSON" }],
    });
  }
  // In JSON text a NUL can only be written escaped, so a body without that escape has none.
  return options.replaceNul && raw.includes("\\u0000") ? withoutNulCharacters(parsed) : parsed;
}

const replaceNul = (text: string) => text.replaceAll("\u0000", "\ufffd");

/** The value with every NUL character in its strings (keys included) replaced by U+FFFD. */
export function withoutNulCharacters(value: unknown): unknown {
  if (typeof value === "string") return replaceNul(value);
  if (Array.isArray(value)) return value.map(withoutNulCharacters);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [replaceNul(k), withoutNulCharacters(v)]));
  return value;
}

/** A JSON body that must be an object (every write endpoint takes one); an empty body counts as {}. */
export async function readJsonObject(req: Request, limitBytes = DEFAULT_BODY_LIMIT): Promise<Record<string, unknown>> {
  const body = await readJsonBody(req, limitBytes);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError("invalid", "The request body must be a JSON object", {
      fieldErrors: [{ path: "(body)", message: "expected a JSON object" }],
    });
  }
  return body as Record<string, unknown>;
}

/**
 * The body as UTF-8 text, read as a stream and counted: past `limitBytes` the stream is cancelled and the
 * answer is 413. Content-Length alone proves nothing (a chunked upload has none), and the doors that read
 * before any signature check would otherwise hold whatever anyone sends in memory.
 */
export async function readRawBody(req: Request, limitBytes = DEFAULT_BODY_LIMIT): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limitBytes) {
    await req.body?.cancel().catch(() => {});
    throw tooLarge(limitBytes);
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks, size));
}

const tooLarge = (limit: number) =>
  new AppError("too_large", `The request body is larger than ${Math.round(limit / 1024)} KiB`, {
    fieldErrors: [{ path: "(body)", message: "too large" }],
  });

/** The query string as an object; a repeated key becomes an array (`?status=open&status=acknowledged`). */
export function readQuery(req: Request): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(req.url).searchParams) {
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/**
 * The client's address for the audit log: the socket's peer, or when that is one of TRUSTED_PROXIES, what
 * they forwarded (lib/http/client-address.ts). Null when the socket is unknown (lib/http/peer-address.ts).
 */
export function clientIp(
  req: Request,
  trustedProxies: readonly string[] = getRuntime().config.trustedProxies,
): string | null {
  return clientAddress(peerAddress(req.headers), req.headers.get("x-forwarded-for"), trustedProxyList(trustedProxies));
}

/** The token of an `Authorization: Bearer <token>` header; undefined when there is none or it has another form. */
export function bearerToken(authorization: string | null): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
}
