// Where http.post remediation actions may post: URL prefixes an administrator lists in
// REMEDIATION_HTTP_ALLOWED_URLS. Pure: used by the policy and by the settings parser.
/**
 * Whether `url` is under one of `prefixes`: the same scheme, host and port, and a path at or below the
 * prefix's path (`https://hooks.example.com/vigil` allows `/vigil` and `/vigil/restart`, not `/vigilante`
 * and not `https://hooks.example.com.evil.test/vigil`). Query and fragment of a prefix are ignored.
 */
export function urlAllowed(url: string, prefixes: readonly string[]): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  return prefixes.some((prefix) => {
    const allowed = new URL(prefix);
    if (allowed.origin !== target.origin) return false;
    const base = allowed.pathname.replace(/\/+$/, "");
    return target.pathname === base || target.pathname.startsWith(`${base}/`) || base === "";
  });
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
