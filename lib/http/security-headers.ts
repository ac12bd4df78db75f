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

const apiHeadersOf = new WeakMap<Config, [string, string][]>();

/**
 * Sets what every API answer carries. It is the same for each (no nonce: nothing is rendered), so it is
 * computed once per configuration and set by the API's own doors (lib/http/api-route.ts, /api/health)
 * rather than by the request proxy, which for API routes cost the web server about a fifth of its CPU
 * per webhook (bench/README.md, ingest.ts).
 */
export function withApiSecurityHeaders(response: Response, config: Config): Response {
  let headers = apiHeadersOf.get(config);
  if (!headers) apiHeadersOf.set(config, (headers = Object.entries(securityHeaders(securitySettingsFrom(config, null)))));
  for (const [name, value] of headers) response.headers.set(name, value);
  return response;
}
