// The security headers every response carries. Pages get a per-request nonce in their
// Content-Security-Policy (Next.js puts it on its own scripts); Grafana's origin is the one frame
// source, for the embedded panels; nothing may frame Vigil.
import type { Config } from "../env";

export interface SecurityHeaderSettings {
  nonce: string | null;
  grafanaUrl: string | undefined;
  /** Where the sign-in form's redirect goes: CSP form-action also covers redirects. */
  identityProviderUrl: string | undefined;
  production: boolean;
  https: boolean;
}

export function contentSecurityPolicy(s: SecurityHeaderSettings): string {
  const origin = (url: string | undefined) => (url ? new URL(url).origin : null);
  const scripts = s.nonce ? [`'self'`, `'nonce-${s.nonce}'`, `'strict-dynamic'`] : [`'self'`];
  if (!s.production) scripts.push(`'unsafe-eval'`); // the dev server's hot reload evaluates code
  const directives: Record<string, (string | null)[]> = {
    "default-src": [`'self'`],
    "script-src": scripts,
    "style-src": [`'self'`, `'unsafe-inline'`],
    "img-src": [`'self'`, "data:", "blob:"],
    "font-src": [`'self'`],
    "connect-src": [`'self'`],
    "frame-src": [origin(s.grafanaUrl) ?? `'none'`],
    "frame-ancestors": [`'none'`],
    "form-action": [`'self'`, origin(s.identityProviderUrl)],
    "base-uri": [`'self'`],
    "object-src": [`'none'`],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.filter(Boolean).join(" ")}`)
    .join("; ");
}

export function securityHeaders(s: SecurityHeaderSettings): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(s),
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    ...(s.production && s.https ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** The settings as the configuration gives them; `nonce` only for pages. */
export function securitySettingsFrom(config: Config, nonce: string | null): SecurityHeaderSettings {
  return {
    nonce,
    grafanaUrl: config.grafanaUrl,
    identityProviderUrl: config.auth.issuer,
    production: config.nodeEnv === "production",
    https: config.appUrl.startsWith("https:"),
  };
}

/**
 * What every API answer carries, set by next.config.ts's `headers()` for every path under /api/ but
 * Auth.js's: the router adds them to each answer (and to a 404 for an unknown API path) at a fraction of
 * the request proxy's cost per request, which was about an eighth of the web server's CPU per webhook
 * (bench/README.md). Static, since next.config is read at build time: nothing in an API answer is
 * rendered, so its policy allows nothing at all.
 */
export const apiSecurityHeaders: { key: string; value: string }[] = [
  {
    key: "content-security-policy",
    value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  },
  { key: "x-content-type-options", value: "nosniff" },
  { key: "referrer-policy", value: "strict-origin-when-cross-origin" },
  { key: "x-frame-options", value: "DENY" },
  // Browsers take it only over https (RFC 6797), so it can go out whatever APP_URL says.
  { key: "strict-transport-security", value: "max-age=63072000; includeSubDomains" },
];
