// Where http.post remediation actions may post: URL prefixes an administrator lists in
// REMEDIATION_HTTP_ALLOWED_URLS. Pure: used by the policy and by the settings parser.
/**
 * Whether `url` is under one of `prefixes`: the same scheme, host and port, and a path at or below the
 * prefix's path (`https://hooks.example.com/vigil` allows `/vigil` and `/vigil/restart`, not `/vigilante`
 * and not `https://hooks.example.com.evil.test/vigil`). Query and fragment of a prefix are ignored.
 * Paths are compared as decoded segments, and a segment below the prefix must be safe to decode: a
 * server that decodes `..%2F..%2Fadmin` walks out of the prefix the comparison saw.
 */
export function urlAllowed(url: string, prefixes: readonly string[]): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  const segments = pathSegments(target.pathname);
  return prefixes.some((prefix) => {
    const allowed = new URL(prefix);
    if (allowed.origin !== target.origin) return false;
    const base = pathSegments(allowed.pathname);
    while (base.at(-1) === "") base.pop();
    const underBase = base.every((segment, i) => {
      const wanted = decoded(segment);
      return wanted !== null && i < segments.length && decoded(segments[i]!) === wanted;
    });
    return underBase && segments.slice(base.length).every((segment) => unsafePathSegment(segment) === null);
  });
}

/** `/a/b%2Fc` -> ["a", "b%2Fc"], as written (still encoded). */
const pathSegments = (pathname: string) => pathname.split("/").slice(1);

const decoded = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
};

/**
 * Why a path segment (as written in a URL) could change the path once a server or proxy decodes it, once
 * or twice: `.` or `..`, or an encoded slash or backslash; or it is no valid percent-encoding. Else null.
 */
export function unsafePathSegment(segment: string): string | null {
  const once = decoded(segment);
  if (once === null) return `"${segment}" is not valid percent-encoding`;
  for (const value of [once, decoded(once) ?? once]) {
    if (value === "." || value === "..") return `"${segment}" is a dot segment`;
    if (value.includes("/") || value.includes("\\")) return `"${segment}" holds an encoded slash or backslash`;
  }
  return null;
}

/** "https://a.example/hooks, https://b.example/x" -> the prefixes, or an error naming what is not an http(s) URL. */
export function parseUrlPrefixList(text: string): string[] {
  const prefixes = text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = prefixes.filter((p) => {
    try {
      const u = new URL(p);
      return u.protocol !== "http:" && u.protocol !== "https:";
    } catch {
      return true;
    }
  });
  if (bad.length > 0) throw new Error(`not an http(s) URL: ${bad.map((b) => `"${b}"`).join(", ")}`);
  return prefixes;
}
