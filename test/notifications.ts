// The notification tests' world: the loopback fakes (Slack, PagerDuty, SMS, SMTP) started once per file,
// a runtime pointed at them and at the file's database with quick retries, fakes reset before each test,
// and incidents opened the way Alertmanager opens them.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startAllFakes, type AllFakes } from "@/e2e/fakes";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { defaultSeverityMap } from "@/lib/alerts/severity";
import { loadConfig } from "@/lib/env";
import { notificationSettings } from "@/lib/notifications/settings";
import { createLogger } from "@/lib/observability/logger";
import { setRuntime } from "@/lib/runtime";
import { SLACK_SIGNING_SECRET } from "./slack";
import { ctxOf } from "./actors";
import { alert, webhook } from "./alertmanager";
import type { TestDatabase } from "./database";

export const PAGERDUTY_WEBHOOK_SECRET = "pd-webhook-secret";
export const ingestionSettings = {
  reopenWindowMs: 300_000,
  serviceLabel: "service",
  teamLabel: "team",
  severityMap: defaultSeverityMap,
};

/**
 * Starts the fakes and installs the runtime for this file. The fakes exist from the file's beforeAll on;
 * the object returned stands for them (use it inside tests and hooks).
 */
export function useNotificationFakes(t: TestDatabase): AllFakes {
  const world = {} as { fakes: AllFakes };
  beforeAll(async () => {
    world.fakes = await startAllFakes();
    const config = loadConfig({
      ...world.fakes.env,
      DATABASE_URL: t.url,
      LOG_LEVEL: "silent",
      APP_URL: "https://vigil.example.com",
      VIGIL_CONFIG: "/nonexistent/vigil.config.yaml",
      NOTIFY_RETRY_BASE: "50ms",
      NOTIFY_MAX_ATTEMPTS: "5",
      PAGERDUTY_WEBHOOK_SECRET,
      SLACK_SIGNING_SECRET,
    });
    setRuntime({ config, database: t, logger: createLogger("silent") });
  });
  afterAll(async () => world.fakes?.close());
  beforeEach(() => world.fakes.reset());
  return new Proxy({} as AllFakes, { get: (_, key) => Reflect.get(world.fakes, key) as unknown });
}

let groups = 0;

/**
 * A new alert group with one firing alert of these labels, ingested as the webhook route does (the first
 * messages planned in the same transaction; `planLater` leaves them to a plan job): the incident it opened.
 */
export async function incidentFromAlert(
  t: TestDatabase,
  labels: Record<string, string>,
  summary: string,
  options: { planLater?: boolean } = {},
): Promise<{ ref: string; id: string }> {
  const n = String(++groups);
  const result = await ingestAlertmanagerPayload({
    ctx: ctxOf(t.db),
    input: webhook(`{}:{n="${n}",file="${t.name}"}`, [alert({ labels: { ...labels, n }, annotations: { summary } })]),
    settings: { ...ingestionSettings, notifications: options.planLater ? undefined : notificationSettings() },
  });
  const ref = result.incidents.created[0]!;
  const [row] = await t.sql<{ id: string }[]>`select id from incidents where number = ${Number(ref.slice(4))}`;
  return { ref, id: row!.id };
}
