// The one place that reads the environment. Every setting is named in ARCHITECTURE.md's table and the
// README; parsing fails at start with a message naming the setting, not deep inside a request.
import { z } from "zod";
import { parseSeverityMap, type SeverityMap } from "./alerts/severity";
import { defaultRoleMap } from "./auth/dev-accounts";
import { parseRoleMap, type DefaultRole, type RoleMap } from "./auth/role-mapping";

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
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  REOPEN_WINDOW: duration.prefault("5m"),
  VIGIL_DATA_DIR: z.string().default(".data"),
  ALERT_SERVICE_LABEL: z.string().trim().min(1).default("service"),
  ALERT_TEAM_LABEL: z.string().trim().min(1).default("team"),
  ALERT_SEVERITY_MAP: mapSetting("", parseSeverityMap, "page=P1,critical=P2,default=P3"),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional()),
  OIDC_ISSUER: optionalString.pipe(z.url().optional()),
  OIDC_CLIENT_ID: z.string().trim().min(1).default("vigil"),
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_ROLES_CLAIM: z.string().trim().min(1).default("groups"),
  OIDC_ROLE_MAP: mapSetting(defaultRoleMap, parseRoleMap, "vigil-admins=admin,sre=responder"),
  OIDC_DEFAULT_ROLE: z.enum(["viewer", "responder", "admin", "none"]).default("viewer"),
  VIGIL_DEV_IDP: z.enum(["0", "1"]).default("0"),
  GRAFANA_URL: optionalString.pipe(z.url().optional()),
  VIGIL_CONFIG: z.string().trim().min(1).default("vigil.config.yaml"),
  PAGERDUTY_EVENTS_URL: z.url().default("https://events.pagerduty.com"),
  PAGERDUTY_ROUTING_KEY: optionalString.pipe(z.string().length(32, "a PagerDuty integration key has 32 characters").optional()),
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
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_STALE_AFTER: duration.prefault("60s"),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  NOTIFY_RETRY_BASE: duration.prefault("2s"),
});

export interface Config {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | undefined;
  port: number;
  appUrl: string;
  bootstrapAdminToken: string | undefined;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  reopenWindowMs: number;
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
  };
  grafanaUrl: string | undefined;
  /** The routing YAML (VIGIL_CONFIG); a missing file means the built-in routing. */
  routingConfigPath: string;
  pagerduty: { eventsUrl: string; routingKey: string | undefined; webhookSecret: string | undefined };
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
  sms: { apiUrl: string; accountSid: string | undefined; authToken: string | undefined; from: string | undefined; to: string | undefined };
  worker: { metricsPort: number; staleAfterMs: number };
  notifications: { maxAttempts: number; retryBaseMs: number };
  alerts: {
    serviceLabel: string;
    teamLabel: string;
    severityMap: SeverityMap;
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    appUrl: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    bootstrapAdminToken: e.BOOTSTRAP_ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
    reopenWindowMs: e.REOPEN_WINDOW,
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
    },
    grafanaUrl: e.GRAFANA_URL?.replace(/\/$/, ""),
    routingConfigPath: e.VIGIL_CONFIG,
    pagerduty: { eventsUrl: e.PAGERDUTY_EVENTS_URL.replace(/\/$/, ""), routingKey: e.PAGERDUTY_ROUTING_KEY, webhookSecret: e.PAGERDUTY_WEBHOOK_SECRET },
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
    sms: { apiUrl: e.SMS_API_URL.replace(/\/$/, ""), accountSid: e.SMS_ACCOUNT_SID, authToken: e.SMS_AUTH_TOKEN, from: e.SMS_FROM, to: e.SMS_TO },
    worker: { metricsPort: e.WORKER_METRICS_PORT, staleAfterMs: e.WORKER_STALE_AFTER },
    notifications: { maxAttempts: e.NOTIFY_MAX_ATTEMPTS, retryBaseMs: e.NOTIFY_RETRY_BASE },
    alerts: { serviceLabel: e.ALERT_SERVICE_LABEL, teamLabel: e.ALERT_TEAM_LABEL, severityMap: e.ALERT_SEVERITY_MAP },
  };
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
    throw new ConfigError("DATABASE_URL is not set. `npm start` sets it for the processes it runs; set it yourself to run them alone.");
  }
  return config.databaseUrl;
}
