// A route naming its own PagerDuty service: the incident is triggered with that service's key, and its
// acknowledge and resolve follow to the same service (the key is kept on the incident's open delivery).
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAllFakes, type AllFakes } from "@/e2e/fakes";
import { loadConfig } from "@/lib/env";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { createLogger } from "@/lib/observability/logger";
import { setRuntime } from "@/lib/runtime";
import { ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { incidentFromAlert } from "@/test/notifications";

const t = useTestDatabase();
const PAYMENTS_KEY = "paymentspaymentspaymentspayments";
let fakes: AllFakes;

beforeAll(async () => {
  fakes = await startAllFakes();
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-pd-services-"));
  const routing = path.join(dir, "vigil.config.yaml");
  writeFileSync(
    routing,
    `routes:
  - name: payments pages its own PagerDuty service
    match: { team: payments }
    notify: [{ pagerduty: { routing_key_env: PAGERDUTY_ROUTING_KEY_PAYMENTS } }]
  - name: the rest
    match: { severity: [P0, P1] }
    notify: [pagerduty]
`,
  );
  const config = loadConfig({
    ...fakes.env,
    DATABASE_URL: t.url,
    LOG_LEVEL: "silent",
    APP_URL: "https://vigil.example.com",
    VIGIL_CONFIG: routing,
    NOTIFY_RETRY_BASE: "50ms",
    PAGERDUTY_ROUTING_KEY_PAYMENTS: PAYMENTS_KEY,
  });
  setRuntime({ config, database: t, logger: createLogger("silent") });
});
afterAll(async () => fakes?.close());

describe("PagerDuty routing per route", () => {
  it("triggers, acknowledges and resolves on the service the route names", async () => {
    const incident = await incidentFromAlert(t, { alertname: "CardDeclines", team: "payments", severity: "page" }, "x");
    await drainJobs(t);
    await acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } });
    await drainJobs(t);
    await resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } });
    await drainJobs(t);
    const sent = fakes.pagerduty.received.map((r) => r.body as { event_action: string; routing_key: string });
    expect(sent.map((e) => [e.event_action, e.routing_key])).toEqual([
      ["trigger", PAYMENTS_KEY],
      ["acknowledge", PAYMENTS_KEY],
      ["resolve", PAYMENTS_KEY],
    ]);
    const rows =
      await t.sql`select target from notifications where incident_id = ${incident.id} and channel = 'pagerduty'`;
    expect(new Set(rows.map((r) => r.target))).toEqual(new Set(["env:PAGERDUTY_ROUTING_KEY_PAYMENTS"]));
  });

  it("keeps the default key for the routes that say plain pagerduty", async () => {
    const incident = await incidentFromAlert(t, { alertname: "SearchDown", team: "search", severity: "page" }, "y");
    await drainJobs(t);
    const triggers = fakes.pagerduty.received.filter(
      (r) => (r.body as { dedup_key: string }).dedup_key === incident.id,
    );
    expect(triggers.map((r) => (r.body as { routing_key: string }).routing_key)).toEqual([
      fakes.env.PAGERDUTY_ROUTING_KEY,
    ]);
  });
});
