import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, webServerProblems } from "./env";

describe("configuration", () => {
  it("fills the documented defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, appUrl: "http://localhost:3000", reopenWindowMs: 300_000, logLevel: "info", dataDir: ".data" });
    expect(config.databaseUrl).toBeUndefined();
  });

  it("derives APP_URL from PORT and strips a trailing slash from an explicit one", () => {
    expect(loadConfig({ PORT: "4000" }).appUrl).toBe("http://localhost:4000");
    expect(loadConfig({ APP_URL: "https://vigil.example.com/" }).appUrl).toBe("https://vigil.example.com");
  });

  it("reads durations such as REOPEN_WINDOW=90s", () => {
    expect(loadConfig({ REOPEN_WINDOW: "90s" }).reopenWindowMs).toBe(90_000);
  });

  it("names the setting that is wrong", () => {
    expect(() => loadConfig({ PORT: "http" })).toThrow(ConfigError);
    expect(() => loadConfig({ REOPEN_WINDOW: "five minutes", BOOTSTRAP_ADMIN_TOKEN: "short" })).toThrow(/BOOTSTRAP_ADMIN_TOKEN: must be at least 16[\s\S]*REOPEN_WINDOW: use a number and a unit/);
  });

  it("reads the alert label names and the severity map", () => {
    const { alerts } = loadConfig({ ALERT_SERVICE_LABEL: "app", ALERT_SEVERITY_MAP: "critical=P1" });
    expect(alerts.serviceLabel).toBe("app");
    expect(alerts.teamLabel).toBe("team");
    expect(alerts.severityMap).toMatchObject({ critical: "P1", page: "P1", default: "P3" });
    expect(() => loadConfig({ ALERT_SEVERITY_MAP: "critical=urgent" })).toThrow(/ALERT_SEVERITY_MAP: "critical=urgent" is not label=P0..P4/);
  });

  it("reads the Slack bot's incident channels switch and timeline reaction", () => {
    expect(loadConfig({}).slack).toMatchObject({ incidentChannels: false, timelineReaction: "memo" });
    expect(loadConfig({ SLACK_INCIDENT_CHANNELS: "1", SLACK_TIMELINE_REACTION: ":pushpin:" }).slack).toMatchObject({ incidentChannels: true, timelineReaction: "pushpin" });
    expect(() => loadConfig({ SLACK_TIMELINE_REACTION: "two words" })).toThrow(/SLACK_TIMELINE_REACTION: a reaction name/);
  });

  it("treats an empty setting as unset", () => {
    expect(loadConfig({ DATABASE_URL: "  " }).databaseUrl).toBeUndefined();
  });

  it("refuses a production web server without an identity provider or a session secret, saying what to set", () => {
    const production = webServerProblems(loadConfig({ NODE_ENV: "production", DATABASE_URL: "postgres://x/y" }));
    expect(production).toEqual([expect.stringMatching(/^AUTH_SECRET is not set/), expect.stringMatching(/^OIDC_ISSUER is not set\. In production/)]);
    const ready = loadConfig({ NODE_ENV: "production", DATABASE_URL: "postgres://x/y", AUTH_SECRET: "x".repeat(32), OIDC_ISSUER: "https://login.example.com/" });
    expect(webServerProblems(ready)).toEqual([]);
    expect(ready.auth).toMatchObject({ issuer: "https://login.example.com", clientId: "vigil", rolesClaim: "groups", defaultRole: "viewer", roleMap: { "vigil-admins": "admin" } });
  });
});
