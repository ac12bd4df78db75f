import { getPathMatch } from "next/dist/shared/lib/router/utils/path-match";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { apiSecurityHeaders, securityHeaders } from "./security-headers";

const base = {
  nonce: "abc123",
  grafanaUrl: "https://grafana.example.com/",
  identityProviderUrl: "https://login.example.com/realms/x",
  production: true,
  https: true,
};

describe("security headers", () => {
  it("allows Grafana's origin, and only it, as a frame source; nobody may frame Vigil", () => {
    const csp = securityHeaders(base)["content-security-policy"];
    expect(csp).toContain("frame-src https://grafana.example.com;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(securityHeaders({ ...base, grafanaUrl: undefined })["content-security-policy"]).toContain(
      "frame-src 'none'",
    );
  });

  it("lets scripts run only with the request's nonce, and the sign-in form reach the identity provider", () => {
    const csp = securityHeaders(base)["content-security-policy"];
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic';");
    expect(csp).toContain("form-action 'self' https://login.example.com;");
  });

  it("sends HSTS only in production over https, and nosniff and a referrer policy always", () => {
    expect(securityHeaders(base)["strict-transport-security"]).toMatch(/max-age=\d+/);
    const dev = securityHeaders({ ...base, production: false, https: false });
    expect(dev["strict-transport-security"]).toBeUndefined();
    expect(dev["x-content-type-options"]).toBe("nosniff");
    expect(dev["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(dev["content-security-policy"]).toContain("'unsafe-eval'");
  });
});

describe("the API's headers in next.config.ts", () => {
  it("cover every path under /api/ but Auth.js's, which the request proxy serves", async () => {
    const [rule, ...others] = await nextConfig.headers!();
    expect(others).toEqual([]);
    expect(rule!.headers).toEqual(apiSecurityHeaders);
    // The router matches `source` with Next's own path matcher.
    const matches = getPathMatch(rule!.source, { removeUnnamedParams: true, strict: true });
    const covered = [
      "/api/health",
      "/api/v1/webhooks/alertmanager",
      "/api/v1/incidents/INC-1/ack",
      "/api/slack/events",
      "/api/v1/no-such-thing",
      "/api/authors",
    ];
    const notCovered = ["/api/auth/signin", "/api/auth/callback/oidc", "/", "/incidents/INC-1", "/metrics"];
    expect(covered.filter((path) => !matches(path))).toEqual([]);
    expect(notCovered.filter((path) => matches(path))).toEqual([]);
  });

  it("say that nothing in an API answer may load, run or be framed, and never to sniff its type", () => {
    const headers = Object.fromEntries(apiSecurityHeaders.map(({ key, value }) => [key, value]));
    expect(headers["content-security-policy"]).toContain("default-src 'none'");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["strict-transport-security"]).toContain("max-age=");
  });
});
