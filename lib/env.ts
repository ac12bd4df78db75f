// The one place that reads the environment. Every setting is named in ARCHITECTURE.md's table and the
// README; parsing fails at start with a message naming the setting, not deep inside a request.
import { z } from "zod";
import { parseSeverityMap, type SeverityMap } from "./alerts/severity";

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
  ALERT_SEVERITY_MAP: z
    .string()
    .default("")
    .transform((text, ctx) => {
      try {
        return parseSeverityMap(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `${(error as Error).message}; write it like page=P1,critical=P2,default=P3` });
        return z.NEVER;
      }
    }),
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
    alerts: { serviceLabel: e.ALERT_SERVICE_LABEL, teamLabel: e.ALERT_TEAM_LABEL, severityMap: e.ALERT_SEVERITY_MAP },
  };
}

export function requireDatabaseUrl(config: Config): string {
  if (!config.databaseUrl) {
    throw new ConfigError("DATABASE_URL is not set. `npm start` sets it for the processes it runs; set it yourself to run them alone.");
  }
  return config.databaseUrl;
}
