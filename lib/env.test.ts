import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, resolveSecretFiles, SECRET_SETTINGS, webServerProblems } from "./env";

describe("configuration", () => {
  it("fills the documented defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      appUrl: "http://localhost:3000",
      reopenWindowMs: 300_000,
      logLevel: "info",
      dataDir: ".data",
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it("listens on localhost and trusts X-Forwarded-For from loopback only, unless told otherwise", () => {
    expect(loadConfig({})).toMatchObject({ host: "localhost", trustedProxies: ["127.0.0.0/8", "::1/128"] });
    expect(loadConfig({ HOST: "0.0.0.0", TRUSTED_PROXIES: "10.0.0.0/8, 192.168.1.7" })).toMatchObject({
      host: "0.0.0.0",
      trustedProxies: ["10.0.0.0/8", "192.168.1.7/32"],
    });
    expect(loadConfig({ TRUSTED_PROXIES: "" }).trustedProxies).toEqual([]);
    expect(() => loadConfig({ TRUSTED_PROXIES: "10.0.0.0/8,proxy.internal" })).toThrow(
      /TRUSTED_PROXIES: "proxy.internal" is not an IP address or CIDR; write it like/,
    );
  });

  it("reads WEB_CONCURRENCY as a number of web processes, unset or 0 leaving the launcher's default", () => {
    expect(loadConfig({}).webConcurrency).toBeUndefined();
    expect(loadConfig({ WEB_CONCURRENCY: "" }).webConcurrency).toBeUndefined();
    expect(loadConfig({ WEB_CONCURRENCY: "0" }).webConcurrency).toBeUndefined();
    expect(loadConfig({ WEB_CONCURRENCY: "00" }).webConcurrency).toBeUndefined();
    expect(loadConfig({ WEB_CONCURRENCY: " 4 " }).webConcurrency).toBe(4);
    for (const bad of ["two", "-1", "1.5", "2x"])
      expect(() => loadConfig({ WEB_CONCURRENCY: bad }), bad).toThrow(
        /WEB_CONCURRENCY: a whole number of web processes \(0 or unset: the default\)/,
      );
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
    expect(() => loadConfig({ REOPEN_WINDOW: "five minutes", BOOTSTRAP_ADMIN_TOKEN: "short" })).toThrow(
      /BOOTSTRAP_ADMIN_TOKEN: must be at least 16[\s\S]*REOPEN_WINDOW: use a number and a unit/,
    );
  });

  it("reads the alert label names and the severity map", () => {
    const { alerts } = loadConfig({ ALERT_SERVICE_LABEL: "app", ALERT_SEVERITY_MAP: "critical=P1" });
    expect(alerts.serviceLabel).toBe("app");
    expect(alerts.teamLabel).toBe("team");
    expect(alerts.severityMap).toMatchObject({ critical: "P1", page: "P1", default: "P3" });
    expect(() => loadConfig({ ALERT_SEVERITY_MAP: "critical=urgent" })).toThrow(
      /ALERT_SEVERITY_MAP: "critical=urgent" is not label=P0..P4/,
    );
  });

  it("reads the Slack bot's incident channels switch and timeline reaction", () => {
    expect(loadConfig({}).slack).toMatchObject({ incidentChannels: false, timelineReaction: "memo" });
    expect(loadConfig({ SLACK_INCIDENT_CHANNELS: "1", SLACK_TIMELINE_REACTION: ":pushpin:" }).slack).toMatchObject({
      incidentChannels: true,
      timelineReaction: "pushpin",
    });
    expect(() => loadConfig({ SLACK_TIMELINE_REACTION: "two words" })).toThrow(
      /SLACK_TIMELINE_REACTION: a reaction name/,
    );
  });

  it("reads the postmortem time zone, refusing one that is not an IANA zone", () => {
    expect(loadConfig({}).postmortems).toEqual({ timeZone: "UTC", tracker: undefined });
    expect(loadConfig({ POSTMORTEM_TIME_ZONE: "Europe/Berlin" }).postmortems.timeZone).toBe("Europe/Berlin");
    expect(() => loadConfig({ POSTMORTEM_TIME_ZONE: "Mars/Olympus" })).toThrow(
      /POSTMORTEM_TIME_ZONE: an IANA time zone/,
    );
  });

  it("picks the ticket tracker that is configured, Jira when both are, unless POSTMORTEM_TRACKER says", () => {
    const jira = {
      JIRA_URL: "https://acme.atlassian.net/",
      JIRA_EMAIL: "bot@acme.com",
      JIRA_API_TOKEN: "t",
      JIRA_PROJECT: "OPS",
    };
    const github = { GITHUB_TOKEN: "ghp_x", GITHUB_REPO: "acme/platform" };
    expect(loadConfig(github).postmortems.tracker).toBe("github");
    expect(loadConfig({ ...jira, ...github }).postmortems.tracker).toBe("jira");
    expect(loadConfig({ ...jira, ...github, POSTMORTEM_TRACKER: "github" }).postmortems.tracker).toBe("github");
    expect(loadConfig(jira).jira).toEqual({
      url: "https://acme.atlassian.net",
      email: "bot@acme.com",
      apiToken: "t",
      project: "OPS",
    });
    expect(loadConfig({}).github.apiUrl).toBe("https://api.github.com");
    expect(loadConfig({ JIRA_URL: "https://acme.atlassian.net" }).postmortems.tracker).toBeUndefined();
    expect(() => loadConfig({ POSTMORTEM_TRACKER: "jira", JIRA_URL: "https://acme.atlassian.net" })).toThrow(
      /POSTMORTEM_TRACKER: jira needs JIRA_EMAIL, JIRA_API_TOKEN, JIRA_PROJECT/,
    );
    expect(() => loadConfig({ GITHUB_REPO: "not a repo" })).toThrow(/GITHUB_REPO: owner\/name/);
  });

  it("reads the remediation settings, with the policy's defaults", () => {
    expect(loadConfig({}).remediation).toEqual({
      allowedActions: ["k8s.rollout_restart", "k8s.scale", "k8s.delete_pod", "http.post"],
      maxPerHour: 3,
      maxAutoPerHour: 20,
      namespaces: [],
      httpAllowedUrls: [],
      timeoutMs: 30_000,
      dryRun: false,
      auto: true,
      twoPerson: false,
    });
    const set = loadConfig({
      REMEDIATION_ALLOWED_ACTIONS: "k8s.scale, k8s.rollout_restart",
      REMEDIATION_NAMESPACES: "shop, payments",
      REMEDIATION_TWO_PERSON: "1",
      REMEDIATION_DRY_RUN: "1",
      REMEDIATION_AUTO: "0",
      REMEDIATION_TIMEOUT: "10s",
    });
    expect(loadConfig({ REMEDIATION_MAX_AUTO_PER_HOUR: "5" }).remediation.maxAutoPerHour).toBe(5);
    expect(() => loadConfig({ REMEDIATION_MAX_AUTO_PER_HOUR: "0" })).toThrow(/REMEDIATION_MAX_AUTO_PER_HOUR/);
    expect(set.remediation).toMatchObject({
      allowedActions: ["k8s.scale", "k8s.rollout_restart"],
      namespaces: ["shop", "payments"],
      twoPerson: true,
      dryRun: true,
      auto: false,
      timeoutMs: 10_000,
    });
    expect(() => loadConfig({ REMEDIATION_ALLOWED_ACTIONS: "k8s.reboot" })).toThrow(
      /REMEDIATION_ALLOWED_ACTIONS: unknown action type "k8s.reboot"/,
    );
    expect(
      loadConfig({
        REMEDIATION_HTTP_ALLOWED_URLS: "https://hooks.example.com/vigil/, http://ops.internal:8080/restart",
      }).remediation.httpAllowedUrls,
    ).toEqual(["https://hooks.example.com/vigil/", "http://ops.internal:8080/restart"]);
    expect(() => loadConfig({ REMEDIATION_HTTP_ALLOWED_URLS: "hooks.example.com, ftp://x.example" })).toThrow(
      /REMEDIATION_HTTP_ALLOWED_URLS: not an http\(s\) URL: "hooks.example.com", "ftp:\/\/x.example"/,
    );
    expect(loadConfig({}).runbooks.dir).toBe("runbooks");
  });

  it("points remediation at Kubernetes only when told where: an API URL, KUBECONFIG, or the pod's service account", () => {
    expect(loadConfig({}).kubernetes.source).toEqual({ kind: "none" });
    expect(
      loadConfig({ KUBERNETES_API_URL: "http://127.0.0.1:8001/", KUBERNETES_TOKEN: "t" }).kubernetes.source,
    ).toEqual({ kind: "url", url: "http://127.0.0.1:8001", token: "t" });
    expect(loadConfig({ KUBECONFIG: "/etc/vigil/kubeconfig" }).kubernetes.source).toEqual({
      kind: "kubeconfig",
      path: "/etc/vigil/kubeconfig",
    });
    expect(loadConfig({ KUBERNETES_SERVICE_HOST: "10.96.0.1" }).kubernetes.source).toEqual({ kind: "in-cluster" });
  });

  it("does not trust unverified emails unless OIDC_TRUST_UNVERIFIED_EMAIL=1", () => {
    expect(loadConfig({}).auth.trustUnverifiedEmail).toBe(false);
    expect(loadConfig({ OIDC_TRUST_UNVERIFIED_EMAIL: "1" }).auth.trustUnverifiedEmail).toBe(true);
    expect(() => loadConfig({ OIDC_TRUST_UNVERIFIED_EMAIL: "yes" })).toThrow(/OIDC_TRUST_UNVERIFIED_EMAIL/);
  });

  it("reads the absolute session lifetime, 12h unless SESSION_MAX_AGE says", () => {
    expect(loadConfig({}).auth.sessionMaxAgeMs).toBe(12 * 3_600_000);
    expect(loadConfig({ SESSION_MAX_AGE: "8h" }).auth.sessionMaxAgeMs).toBe(8 * 3_600_000);
    expect(() => loadConfig({ SESSION_MAX_AGE: "30s" })).toThrow(/SESSION_MAX_AGE: at least 1m/);
  });

  it("treats an empty setting as unset", () => {
    expect(loadConfig({ DATABASE_URL: "  " }).databaseUrl).toBeUndefined();
  });

  it("refuses a production web server without an identity provider or a session secret, saying what to set", () => {
    const production = webServerProblems(loadConfig({ NODE_ENV: "production", DATABASE_URL: "postgres://x/y" }));
    expect(production).toEqual([
      expect.stringMatching(/^AUTH_SECRET is not set/),
      expect.stringMatching(/^OIDC_ISSUER is not set\. In production/),
    ]);
    const ready = loadConfig({
      NODE_ENV: "production",
      DATABASE_URL: "postgres://x/y",
      AUTH_SECRET: "x".repeat(32),
      OIDC_ISSUER: "https://login.example.com/",
    });
    expect(webServerProblems(ready)).toEqual([]);
    expect(ready.auth).toMatchObject({
      issuer: "https://login.example.com",
      clientId: "vigil",
      rolesClaim: "groups",
      defaultRole: "viewer",
      roleMap: { "vigil-admins": "admin" },
    });
  });
});

describe("secrets from files (NAME_FILE)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-secret-files-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const secretFile = (name: string, content: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, content, { mode: 0o600 });
    return file;
  };

  it("reads each credential from the file NAME_FILE names, trailing newline trimmed", () => {
    const config = loadConfig({
      DATABASE_URL_FILE: secretFile("database-url", "postgres://vigil:s3cret@db:5432/vigil\n"),
      AUTH_SECRET_FILE: secretFile("auth-secret", "a-session-secret-of-at-least-32-characters\r\n"),
      SLACK_BOT_TOKEN_FILE: secretFile("slack", "xoxb-1-2-3"),
      KUBERNETES_TOKEN_FILE: secretFile("kube", "eyJhbGciOi.token\n\n"),
    });
    expect(config.databaseUrl).toBe("postgres://vigil:s3cret@db:5432/vigil");
    expect(config.auth.secret).toBe("a-session-secret-of-at-least-32-characters");
    expect(config.slack.botToken).toBe("xoxb-1-2-3");
    expect(config.kubernetes.source).toEqual({ kind: "none" });
    expect(
      loadConfig({ KUBERNETES_API_URL: "https://k8s:6443", KUBERNETES_TOKEN_FILE: path.join(dir, "kube") }).kubernetes,
    ).toEqual({ source: { kind: "url", url: "https://k8s:6443", token: "eyJhbGciOi.token" } });
  });

  it("accepts _FILE for every credential setting and validates the value read like a plain one", () => {
    for (const name of SECRET_SETTINGS) {
      const resolved = resolveSecretFiles({ [`${name}_FILE`]: secretFile(name, `value-of-${name}\n`) });
      expect(resolved, name).toEqual({ [name]: `value-of-${name}` });
    }
    expect(() => loadConfig({ BOOTSTRAP_ADMIN_TOKEN_FILE: secretFile("short", "short\n") })).toThrow(
      /BOOTSTRAP_ADMIN_TOKEN: must be at least 16/,
    );
    // An empty file is an unset setting, as an empty variable is.
    expect(loadConfig({ PAGERDUTY_ROUTING_KEY_FILE: secretFile("empty", "\n") }).pagerduty.routingKey).toBeUndefined();
  });

  it("refuses a setting given both ways, naming the two", () => {
    const file = secretFile("github", "ghp_token");
    expect(() => loadConfig({ GITHUB_TOKEN: "ghp_other", GITHUB_TOKEN_FILE: file })).toThrow(ConfigError);
    expect(() => loadConfig({ GITHUB_TOKEN: "ghp_other", GITHUB_TOKEN_FILE: file })).toThrow(
      "GITHUB_TOKEN and GITHUB_TOKEN_FILE are both set",
    );
  });

  it("names the path of a file it cannot read, never the content of one it can", () => {
    const missing = path.join(dir, "no-such-file");
    expect(() => loadConfig({ SMTP_URL_FILE: missing })).toThrow(`SMTP_URL_FILE: cannot read ${missing} (ENOENT)`);
    expect(() => loadConfig({ JIRA_API_TOKEN_FILE: dir })).toThrow(`JIRA_API_TOKEN_FILE: cannot read ${dir} (EISDIR)`);
    // A value that fails validation is reported without echoing the secret.
    const badUrl = secretFile("bad-smtp", "not a url but a secret-ish 9f8e7d\n");
    let message = "";
    try {
      loadConfig({ SMTP_URL_FILE: badUrl });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SMTP_URL/);
    expect(message).not.toContain("9f8e7d");
  });

  it("passes the _FILE names on to no one: the resolved environment has only the values", () => {
    const resolved = resolveSecretFiles({
      AUTH_SECRET_FILE: secretFile("auth", "x".repeat(40)),
      LOG_LEVEL: "debug",
    });
    expect(resolved).toEqual({ AUTH_SECRET: "x".repeat(40), LOG_LEVEL: "debug" });
  });
});
