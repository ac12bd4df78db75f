import { describe, expect, it } from "vitest";
import { securityHeaders } from "./security-headers";

const base = { nonce: "abc123", grafanaUrl: "https://grafana.example.com/", identityProviderUrl: "https://login.example.com/realms/x", production: true, https: true };

describe("security headers", () => {
  it("allows Grafana's origin, and only it, as a frame source; nobody may frame Vigil", () => {
    const csp = securityHeaders(base)["content-security-policy"];
    expect(csp).toContain("frame-src https://grafana.example.com;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(securityHeaders({ ...base, grafanaUrl: undefined })["content-security-policy"]).toContain("frame-src 'none'");
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
