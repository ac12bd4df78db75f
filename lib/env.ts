// The one place that reads the environment. Every setting is named in ARCHITECTURE.md's table and the
// README; parsing fails at start with a message naming the setting, not deep inside a request.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseSeverityMap, type SeverityMap } from "./alerts/severity";
import { parseUrlPrefixList } from "./remediation/hook-urls";
import { actionTypes, parseActionTypeList, type ActionType } from "./runbooks/action-types";
import { defaultRoleMap } from "./auth/dev-accounts";
import { parseRoleMap, type DefaultRole, type RoleMap } from "./auth/role-mapping";
import { DEFAULT_TRUSTED_PROXIES, parseTrustedProxies } from "./http/client-address";

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)$/, "use a number and a unit: 90s, 5m, 1h")
  .transform((v) => {
    const match = /^(\d+)(ms|s|m|h)$/.exec(v)!;
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as "ms" | "s" | "m" | "h"];
    return Number(match[1]) * unit;
  });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/** A comma-separated map parsed by `parse`; a parse error becomes an issue on the setting. */
const mapSetting = <T>(fallback: string, parse: (text: string) => T, example: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      try {
        return parse(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `${(error as Error).message}; write it like ${example}` });
        return z.NEVER;
      }
    });

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: optionalString.pipe(z.url().optional()),
  BOOTSTRAP_ADMIN_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  REOPEN_WINDOW: duration.prefault("5m"),
  ONCALL_HANDOFF_REMINDER: duration.prefault("1h"),
  VIGIL_DATA_DIR: z.string().default(".data"),
  ALERT_SERVICE_LABEL: z.string().trim().min(1).default("service"),
  ALERT_TEAM_LABEL: z.string().trim().min(1).default("team"),
  ALERT_SEVERITY_MAP: mapSetting("", parseSeverityMap, "page=P1,critical=P2,default=P3"),
  AUTH_SECRET: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional(),
  ),
  OIDC_ISSUER: optionalString.pipe(z.url().optional()),
  OIDC_CLIENT_ID: z.string().trim().min(1).default("vigil"),
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_ROLES_CLAIM: z.string().trim().min(1).default("groups"),
  OIDC_ROLE_MAP: mapSetting(defaultRoleMap, parseRoleMap, "vigil-admins=admin,sre=responder"),
  OIDC_DEFAULT_ROLE: z.enum(["viewer", "responder", "admin", "none"]).default("viewer"),
  OIDC_TRUST_UNVERIFIED_EMAIL: z.enum(["0", "1"]).default("0"),
  SESSION_MAX_AGE: duration.prefault("12h").pipe(z.number().min(60_000, "at least 1m")),
  VIGIL_DEV_IDP: z.enum(["0", "1"]).default("0"),
  // Set by `npm start` (never in production) when it points unconfigured channels at the dev inbox.
  VIGIL_DEV_INBOX: z.enum(["0", "1"]).default("0"),
  GRAFANA_URL: optionalString.pipe(z.url().optional()),
  ANALYTICS_CACHE_TTL: duration.prefault("60s"),
  INCIDENT_READ_CACHE_TTL: duration.prefault("2s"),
  VIGIL_CONFIG: z.string().trim().min(1).default("vigil.config.yaml"),
  PAGERDUTY_EVENTS_URL: z.url().default("https://events.pagerduty.com"),
  PAGERDUTY_ROUTING_KEY: optionalString.pipe(
    z.string().length(32, "a PagerDuty integration key has 32 characters").optional(),
  ),
  PAGERDUTY_WEBHOOK_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: z.url().default("https://slack.com/api/"),
  SLACK_CHANNEL_CRITICAL: optionalString,
  SLACK_CHANNEL_WARNINGS: optionalString,
  SLACK_INCIDENT_CHANNELS: z.enum(["0", "1"]).default("0"),
  // A reaction name as Slack sends it in events: no colons, no skin tone (":memo:" is accepted too).
  SLACK_TIMELINE_REACTION: z
    .string()
    .trim()
    .transform((v) => v.replace(/^:|:$/g, ""))
    .pipe(z.string().regex(/^[a-z0-9_+'-]+$/, "a reaction name such as memo or pushpin"))
    .default("memo"),
  SMTP_URL: optionalString.pipe(z.url().optional()),
  EMAIL_FROM: z.string().trim().min(3).default("Vigil <vigil@localhost>"),
  ALERT_EMAIL_TO: optionalString,
  SMS_API_URL: z.url().default("https://api.twilio.com"),
  SMS_ACCOUNT_SID: optionalString,
  SMS_AUTH_TOKEN: optionalString,
  SMS_FROM: optionalString,
  SMS_TO: optionalString,
  // Web processes per machine; unset or 0: the launcher's default (npm start: the cores, the image: 1).
  // scripts/web-server.mjs reads it too, by the same rule, without this module.
  WEB_CONCURRENCY: z
    .string()
    .trim()
    .regex(/^\d*$/, "a whole number of web processes (0 or unset: the default)")
    .default("")
    .transform((v) => (Number(v) > 0 ? Number(v) : undefined)),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_STALE_AFTER: duration.prefault("60s"),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  NOTIFY_RETRY_BASE: duration.prefault("2s"),
  // Runbooks and remediation (docs/runbooks.md).
  RUNBOOKS_DIR: z.string().trim().min(1).default("runbooks"),
  // Namespaces whose Runbook custom resources the worker watches (comma-separated; * = every namespace).
  RUNBOOK_CRD_NAMESPACES: z.string().default(""),
  KUBECONFIG: optionalString,
  KUBERNETES_API_URL: optionalString.pipe(z.url().optional()),
  KUBERNETES_TOKEN: optionalString,
  // Set by Kubernetes in every pod: the worker then uses its service account.
  KUBERNETES_SERVICE_HOST: optionalString,
  REMEDIATION_ALLOWED_ACTIONS: mapSetting(actionTypes.join(","), parseActionTypeList, "k8s.rollout_restart,k8s.scale"),
  REMEDIATION_MAX_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),
  REMEDIATION_MAX_AUTO_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(20),
  REMEDIATION_NAMESPACES: z.string().default(""),
  REMEDIATION_HTTP_ALLOWED_URLS: mapSetting(
    "",
    parseUrlPrefixList,
    "https://hooks.example.com/vigil/,https://ops.example.com/restart",
  ),
  REMEDIATION_TIMEOUT: duration.prefault("30s"),
  REMEDIATION_DRY_RUN: z.enum(["0", "1"]).default("0"),
  REMEDIATION_AUTO: z.enum(["0", "1"]).default("1"),
  REMEDIATION_TWO_PERSON: z.enum(["0", "1"]).default("0"),
  // Postmortems and their follow-up tickets (docs/postmortems.md).
  POSTMORTEM_TIME_ZONE: z
    .string()
    .trim()
    .default("UTC")
    .refine(isTimeZone, "an IANA time zone such as UTC or Europe/Berlin"),
  POSTMORTEM_TRACKER: optionalString.pipe(z.enum(["jira", "github"]).optional()),
  JIRA_URL: optionalString.pipe(z.url().optional()),
  JIRA_EMAIL: optionalString,
  JIRA_API_TOKEN: optionalString,
  JIRA_PROJECT: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Z][A-Z0-9_]+$/, "a Jira project key such as OPS")
      .optional(),
  ),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  GITHUB_TOKEN: optionalString,
  GITHUB_REPO: optionalString.pipe(
    z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, "owner/name, such as acme/platform")
      .optional(),
  ),
  TRUSTED_PROXIES: mapSetting(DEFAULT_TRUSTED_PROXIES, parseTrustedProxies, "10.0.0.0/8,127.0.0.1"),
  HOST: z.string().trim().min(1).default("localhost"),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface Config {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | undefined;
  /** How long an analytics answer may be served again (ANALYTICS_CACHE_TTL); 0: never. */
  analyticsCacheTtlMs: number;
  /** How long a web process may answer one of the board's reads again (INCIDENT_READ_CACHE_TTL); 0: never. */
  incidentReadCacheTtlMs: number;
  port: number;
  /** Web processes per machine (WEB_CONCURRENCY); undefined: the launcher's default. */
  webConcurrency: number | undefined;
  appUrl: string;
  bootstrapAdminToken: string | undefined;
  /** When set, GET /metrics wants `Authorization: Bearer <it>` (the web server's /metrics is behind the Ingress). */
  metricsToken: string | undefined;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  reopenWindowMs: number;
  /** How long before a shift its person is reminded (ONCALL_HANDOFF_REMINDER); 0: no reminders. */
  handoffReminderMs: number;
  dataDir: string;
  auth: {
    secret: string | undefined;
    issuer: string | undefined;
    clientId: string;
    clientSecret: string | undefined;
    rolesClaim: string;
    roleMap: RoleMap;
    defaultRole: DefaultRole;
    /** The issuer is `npm start`'s dev identity provider: the sign-in page lists its accounts. */
    devIdentityProvider: boolean;
    /** Match people by an email the provider does not say it verified (OIDC_TRUST_UNVERIFIED_EMAIL=1). */
    trustUnverifiedEmail: boolean;
    /** A session ends this long after sign-in, however active (SESSION_MAX_AGE). */
    sessionMaxAgeMs: number;
  };
  grafanaUrl: string | undefined;
  /** The routing YAML (VIGIL_CONFIG); a missing file means the built-in routing. */
  routingConfigPath: string;
  pagerduty: {
    eventsUrl: string;
    routingKey: string | undefined;
    webhookSecret: string | undefined;
    /** PAGERDUTY_ROUTING_KEY_<SERVICE> settings, by name: the PagerDuty services routes may name. */
    serviceRoutingKeys: Record<string, string>;
  };
  slack: {
    botToken: string | undefined;
    signingSecret: string | undefined;
    apiUrl: string;
    criticalChannel: string | undefined;
    warningsChannel: string | undefined;
    /** P0/P1 incidents get their own channel (#inc-<n>-<slug>). */
    incidentChannels: boolean;
    /** Messages marked with this reaction in an incident channel become timeline notes. */
    timelineReaction: string;
  };
  email: { smtpUrl: string | undefined; from: string; to: string | undefined };
  sms: {
    apiUrl: string;
    accountSid: string | undefined;
    authToken: string | undefined;
    from: string | undefined;
    to: string | undefined;
  };
  worker: { metricsPort: number; staleAfterMs: number };
  notifications: { maxAttempts: number; retryBaseMs: number };
  runbooks: {
    dir: string;
    /** RUNBOOK_CRD_NAMESPACES: the namespaces to watch for Runbook resources; null entry = all; empty: no watch. */
    resourceNamespaces: (string | null)[];
  };
  kubernetes: {
    /** KUBERNETES_API_URL (+ KUBERNETES_TOKEN), else KUBECONFIG, else the pod's service account; none: not configured. */
    source:
      | { kind: "url"; url: string; token: string | undefined }
      | { kind: "kubeconfig"; path: string }
      | { kind: "in-cluster" }
      | { kind: "none" };
  };
  remediation: {
    allowedActions: ActionType[];
    maxPerHour: number;
    /** Automatic runs per hour over all actions and targets (REMEDIATION_MAX_AUTO_PER_HOUR). */
    maxAutoPerHour: number;
    /** Namespaces Kubernetes actions may touch; empty: any (the cluster's RBAC still decides). */
    namespaces: string[];
    httpAllowedUrls: string[];
    timeoutMs: number;
    /** Every run is a dry run: nothing is changed anywhere. */
    dryRun: boolean;
    /** Runbook actions marked `auto` run when a matching incident opens. */
    auto: boolean;
    /** A second responder (never the requester) may approve, besides admins. */
    twoPerson: boolean;
  };
  postmortems: {
    /** IANA zone the generated timeline and dates are written in. */
    timeZone: string;
    /** The tracker "create ticket" sends to: POSTMORTEM_TRACKER, else the one configured (Jira first). */
    tracker: "jira" | "github" | undefined;
  };
  jira: {
    url: string | undefined;
    email: string | undefined;
    apiToken: string | undefined;
    project: string | undefined;
  };
  github: { apiUrl: string; token: string | undefined; repo: string | undefined };
  alerts: {
    serviceLabel: string;
    teamLabel: string;
    severityMap: SeverityMap;
  };
  /**
   * `npm start` pointed channels without vendor settings at the dev inbox (VIGIL_DEV_INBOX=1): its vendor
   * look-alike doors and the /dev/inbox page answer; otherwise they are 404.
   */
  devInbox: boolean;
  /** CIDRs whose X-Forwarded-For is believed (lib/http/client-address.ts). */
  trustedProxies: string[];
  /** The interface `npm start`'s web server and dev identity provider listen on (0.0.0.0: all). */
  host: string;
}

export class ConfigError extends Error {}

/**
 * Settings whose values are credentials. Each may instead name a file with NAME_FILE (the Kubernetes and
 * Docker secrets convention), so the value never sits in the process's environment or a manifest.
 */
export const SECRET_SETTINGS = [
  "DATABASE_URL",
  "AUTH_SECRET",
  "OIDC_CLIENT_SECRET",
  "BOOTSTRAP_ADMIN_TOKEN",
  "METRICS_TOKEN",
  "PAGERDUTY_ROUTING_KEY",
  "PAGERDUTY_WEBHOOK_SECRET",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SMTP_URL",
  "SMS_AUTH_TOKEN",
  "JIRA_API_TOKEN",
  "GITHUB_TOKEN",
  "KUBERNETES_TOKEN",
] as const;

type Environment = Record<string, string | undefined>;

/**
 * The environment with every NAME_FILE read into NAME (trailing newlines trimmed) and the _FILE names
 * removed, so whoever passes it on (npm start to its children) cannot hand a child both. Naming both is an
 * error; so is a file that cannot be read (the message names the path, never what the file holds).
 */
export function resolveSecretFiles(env: Environment): Environment {
  const resolved: Environment = { ...env };
  const problems: string[] = [];
  for (const name of SECRET_SETTINGS) {
    const fileName = `${name}_FILE`;
    const file = env[fileName]?.trim();
    delete resolved[fileName];
    if (!file) continue;
    if (env[name]?.trim()) {
      problems.push(`  ${name} and ${fileName} are both set: set one of them`);
      continue;
    }
    try {
      resolved[name] = readFileSync(file, "utf8").replace(/[\r\n]+$/, "");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
      problems.push(`  ${fileName}: cannot read ${file} (${reason})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join("\n")}`);
  return resolved;
}

export function loadConfig(env: Environment = process.env): Config {
  const parsed = EnvSchema.safeParse(resolveSecretFiles(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const tracker = chooseTracker(e);
  return {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    webConcurrency: e.WEB_CONCURRENCY,
    appUrl: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    bootstrapAdminToken: e.BOOTSTRAP_ADMIN_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    reopenWindowMs: e.REOPEN_WINDOW,
    handoffReminderMs: e.ONCALL_HANDOFF_REMINDER,
    dataDir: e.VIGIL_DATA_DIR,
    auth: {
      secret: e.AUTH_SECRET,
      issuer: e.OIDC_ISSUER?.replace(/\/$/, ""),
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      rolesClaim: e.OIDC_ROLES_CLAIM,
      roleMap: e.OIDC_ROLE_MAP,
      defaultRole: e.OIDC_DEFAULT_ROLE,
      devIdentityProvider: e.VIGIL_DEV_IDP === "1",
      trustUnverifiedEmail: e.OIDC_TRUST_UNVERIFIED_EMAIL === "1",
      sessionMaxAgeMs: e.SESSION_MAX_AGE,
    },
    grafanaUrl: e.GRAFANA_URL?.replace(/\/$/, ""),
    analyticsCacheTtlMs: e.ANALYTICS_CACHE_TTL,
    incidentReadCacheTtlMs: e.INCIDENT_READ_CACHE_TTL,
    routingConfigPath: e.VIGIL_CONFIG,
    pagerduty: {
      eventsUrl: e.PAGERDUTY_EVENTS_URL.replace(/\/$/, ""),
      routingKey: e.PAGERDUTY_ROUTING_KEY,
      webhookSecret: e.PAGERDUTY_WEBHOOK_SECRET,
      serviceRoutingKeys: Object.fromEntries(
        Object.entries(env).flatMap(([name, value]) =>
          /^PAGERDUTY_ROUTING_KEY_[A-Z0-9_]+$/.test(name) && !name.endsWith("_FILE") && value?.trim()
            ? [[name, value.trim()]]
            : [],
        ),
      ),
    },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL.endsWith("/") ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      criticalChannel: e.SLACK_CHANNEL_CRITICAL,
      warningsChannel: e.SLACK_CHANNEL_WARNINGS,
      incidentChannels: e.SLACK_INCIDENT_CHANNELS === "1",
      timelineReaction: e.SLACK_TIMELINE_REACTION,
    },
    email: { smtpUrl: e.SMTP_URL, from: e.EMAIL_FROM, to: e.ALERT_EMAIL_TO },
    sms: {
      apiUrl: e.SMS_API_URL.replace(/\/$/, ""),
      accountSid: e.SMS_ACCOUNT_SID,
      authToken: e.SMS_AUTH_TOKEN,
      from: e.SMS_FROM,
      to: e.SMS_TO,
    },
    worker: { metricsPort: e.WORKER_METRICS_PORT, staleAfterMs: e.WORKER_STALE_AFTER },
    notifications: { maxAttempts: e.NOTIFY_MAX_ATTEMPTS, retryBaseMs: e.NOTIFY_RETRY_BASE },
    runbooks: {
      dir: e.RUNBOOKS_DIR,
      resourceNamespaces: e.RUNBOOK_CRD_NAMESPACES.trim() === "*" ? [null] : commaList(e.RUNBOOK_CRD_NAMESPACES),
    },
    kubernetes: { source: kubernetesSource(e) },
    remediation: {
      allowedActions: e.REMEDIATION_ALLOWED_ACTIONS,
      maxPerHour: e.REMEDIATION_MAX_PER_HOUR,
      maxAutoPerHour: e.REMEDIATION_MAX_AUTO_PER_HOUR,
      namespaces: commaList(e.REMEDIATION_NAMESPACES),
      httpAllowedUrls: e.REMEDIATION_HTTP_ALLOWED_URLS,
      timeoutMs: e.REMEDIATION_TIMEOUT,
      dryRun: e.REMEDIATION_DRY_RUN === "1",
      auto: e.REMEDIATION_AUTO === "1",
      twoPerson: e.REMEDIATION_TWO_PERSON === "1",
    },
    postmortems: { timeZone: e.POSTMORTEM_TIME_ZONE, tracker },
    jira: {
      url: e.JIRA_URL?.replace(/\/$/, ""),
      email: e.JIRA_EMAIL,
      apiToken: e.JIRA_API_TOKEN,
      project: e.JIRA_PROJECT,
    },
    github: { apiUrl: e.GITHUB_API_URL.replace(/\/$/, ""), token: e.GITHUB_TOKEN, repo: e.GITHUB_REPO },
    alerts: { serviceLabel: e.ALERT_SERVICE_LABEL, teamLabel: e.ALERT_TEAM_LABEL, severityMap: e.ALERT_SEVERITY_MAP },
    devInbox: e.VIGIL_DEV_INBOX === "1",
    trustedProxies: e.TRUSTED_PROXIES,
    host: e.HOST,
  };
}

/**
 * Jira needs all four of its settings, GitHub its token and repository. With both configured Jira wins
 * unless POSTMORTEM_TRACKER says otherwise; naming a tracker that is not configured is a mistake to report.
 */
function chooseTracker(e: z.infer<typeof EnvSchema>): "jira" | "github" | undefined {
  const jiraMissing = (["JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_PROJECT"] as const).filter(
    (name) => !e[name],
  );
  const githubMissing = (["GITHUB_TOKEN", "GITHUB_REPO"] as const).filter((name) => !e[name]);
  const chosen = e.POSTMORTEM_TRACKER;
  const missing = chosen === "jira" ? jiraMissing : chosen === "github" ? githubMissing : [];
  if (missing.length > 0)
    throw new ConfigError(`Invalid configuration:\n  POSTMORTEM_TRACKER: ${chosen} needs ${missing.join(", ")}`);
  if (chosen) return chosen;
  if (jiraMissing.length === 0) return "jira";
  if (githubMissing.length === 0) return "github";
  return undefined;
}

/**
 * Where remediation reaches Kubernetes. Only what is named explicitly: a developer's ~/.kube/config is never
 * picked up by itself, so demo alerts cannot restart whatever cluster that file points at.
 */
const commaList = (value: string) =>
  value
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);

function kubernetesSource(e: z.infer<typeof EnvSchema>): Config["kubernetes"]["source"] {
  if (e.KUBERNETES_API_URL)
    return { kind: "url", url: e.KUBERNETES_API_URL.replace(/\/$/, ""), token: e.KUBERNETES_TOKEN };
  if (e.KUBECONFIG) return { kind: "kubeconfig", path: e.KUBECONFIG };
  if (e.KUBERNETES_SERVICE_HOST) return { kind: "in-cluster" };
  return { kind: "none" };
}

/**
 * What the web server needs before it serves anyone; the messages say what to set. In production an
 * identity provider is required: the dev one accepts any password.
 */
export function webServerProblems(config: Config): string[] {
  const problems: string[] = [];
  if (!config.databaseUrl) problems.push("DATABASE_URL is not set.");
  if (!config.auth.secret) problems.push("AUTH_SECRET is not set: it signs session cookies (openssl rand -base64 32).");
  if (!config.auth.issuer) {
    problems.push(
      config.nodeEnv === "production"
        ? "OIDC_ISSUER is not set. In production Vigil signs people in through your identity provider (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET); `npm start` runs a dev identity provider only for local use."
        : "OIDC_ISSUER is not set (`npm start` starts a dev identity provider and sets it).",
    );
  }
  return problems;
}

export function requireDatabaseUrl(config: Config): string {
  if (!config.databaseUrl) {
    throw new ConfigError(
      "DATABASE_URL is not set. `npm start` sets it for the processes it runs; set it yourself to run them alone.",
    );
  }
  return config.databaseUrl;
}
