// The real alerting pipeline in front of the built app: Debian's Prometheus evaluates the rules from
// deploy/prometheus against a metrics server this test controls, Debian's Alertmanager routes with
// deploy/alertmanager/alertmanager.yml, and Vigil's webhook turns it all into incidents. Only ports,
// intervals and `for:` durations are templated, so the test runs in seconds instead of minutes.
import type { ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import YAML from "yaml";
import { createDatabaseClient } from "@/db/client";
import { createApiToken } from "@/lib/auth/api-tokens";
import { systemActor } from "@/lib/context";
import { freePort } from "@/db/embedded-postgres";
import { pagerDutyControl } from "./fakes";
import {
  ALERTMANAGER,
  MISSING_BINARIES,
  PROMETHEUS,
  runBinary,
  waitForReady,
  writeAlertmanagerConfig,
} from "./support/alerting";
import { E2E_ADMIN_TOKEN, readE2eState } from "./support/state";
import { setDatabaseReachable } from "../test/tcp-proxy";

const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
// Alertmanager's own PagerDuty integration key (Vigil's is the fakes' PAGERDUTY_ROUTING_KEY).
const ALERTMANAGER_ROUTING_KEY = "0123456789abcdef0123456789abcdef";

test.describe.configure({ mode: "serial", timeout: 180_000 });
test.skip(!existsSync(PROMETHEUS) || !existsSync(ALERTMANAGER), MISSING_BINARIES);

let tmp: string;
let metrics: Server;
let erroring = false;
let prometheus: ChildProcess;
let alertmanager: ChildProcess;
let alertmanagerUrl: string;

test.beforeAll(async () => {
  const state = readE2eState();
  tmp = mkdtempSync(path.join(os.tmpdir(), "vigil-alerting-"));
  chmodSync(tmp, 0o755);

  // Alertmanager posts with an alerts:write token, as deploy/alertmanager/alertmanager.yml expects.
  const db = createDatabaseClient(state.databaseUrl, { max: 1 });
  const { token } = await createApiToken({
    ctx: { db: db.db, actor: systemActor("e2e"), now: new Date() },
    input: { name: "alertmanager", scope: "alerts:write" },
  });
  await db.close();

  // A service whose 5xx ratio the test switches on and off: 50 requests/s, a sixth of them 5xx when erroring.
  const counts = { ok: 0, error: 0 };
  const ticker = setInterval(() => {
    counts.ok += 5;
    if (erroring) counts.error += 1;
  }, 100);
  metrics = createServer((_req, res) => {
    res.setHeader("content-type", "text/plain; version=0.0.4");
    res.end(
      [
        "# TYPE http_requests_total counter",
        `http_requests_total{service="checkout",team="payments",namespace="shop",deployment="checkout",status="200"} ${counts.ok}`,
        `http_requests_total{service="checkout",team="payments",namespace="shop",deployment="checkout",status="500"} ${counts.error}`,
        "",
      ].join("\n"),
    );
  });
  metrics.on("close", () => clearInterval(ticker));
  const metricsPort = await new Promise<number>((resolve) =>
    metrics.listen(0, "127.0.0.1", () => resolve((metrics.address() as { port: number }).port)),
  );

  const amPort = await freePort();
  const promPort = await freePort();
  alertmanagerUrl = `http://127.0.0.1:${amPort}`;

  // Alertmanager: the deploy config with test timings, Vigil's address and secret files that exist.
  const amConfig = writeAlertmanagerConfig({
    dir: tmp,
    state,
    vigilToken: token,
    pagerDutyRoutingKey: ALERTMANAGER_ROUTING_KEY,
    route: { group_wait: "1s", group_interval: "2s", repeat_interval: "1h" },
  });
  alertmanager = runBinary("alertmanager", ALERTMANAGER, [
    `--config.file=${amConfig}`,
    `--storage.path=${path.join(tmp, "am-data")}`,
    `--web.listen-address=127.0.0.1:${amPort}`,
    "--cluster.listen-address=",
  ]);

  // Prometheus: the deploy config scraping the test's service and Vigil itself, the deploy rules with
  // second-scale windows and `for:` durations.
  mkdirSync(path.join(tmp, "rules"));
  const rules = readFileSync("deploy/prometheus/rules/services.yml", "utf8")
    .replace(/for: \d+[smh]/g, "for: 2s")
    .replace(/\[5m\]/g, "[10s]");
  writeFileSync(path.join(tmp, "rules", "services.yml"), rules);
  const prom = YAML.parse(readFileSync("deploy/prometheus/prometheus.yml", "utf8"));
  prom.global = { ...prom.global, scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" };
  prom.rule_files = [path.join(tmp, "rules", "services.yml")];
  prom.alerting.alertmanagers[0].static_configs[0].targets = [`127.0.0.1:${amPort}`];
  const targets: Record<string, string> = {
    prometheus: `127.0.0.1:${promPort}`,
    alertmanager: `127.0.0.1:${amPort}`,
    vigil: new URL(state.appUrl).host,
    "vigil-worker": `127.0.0.1:${state.workerEnv.WORKER_METRICS_PORT}`,
  };
  // A job left pointing at a deploy host name would be down here and raise a stray ServiceDown.
  prom.scrape_configs = prom.scrape_configs.filter((job: { job_name: string }) => targets[job.job_name]);
  for (const job of prom.scrape_configs) job.static_configs[0].targets = [targets[job.job_name]];
  prom.scrape_configs.push({ job_name: "checkout", static_configs: [{ targets: [`127.0.0.1:${metricsPort}`] }] });
  writeFileSync(path.join(tmp, "prometheus.yml"), YAML.stringify(prom));
  prometheus = runBinary("prometheus", PROMETHEUS, [
    `--config.file=${path.join(tmp, "prometheus.yml")}`,
    `--storage.tsdb.path=${path.join(tmp, "prom-data")}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    "--rules.alert.resend-delay=1s",
  ]);

  await waitForReady(`${alertmanagerUrl}/-/ready`);
  await waitForReady(`http://127.0.0.1:${promPort}/-/ready`);
});

test.afterAll(async () => {
  erroring = false;
  const state = readE2eState();
  await setDatabaseReachable(state.databaseProxyControlPort, true).catch(() => {});
  for (const child of [prometheus, alertmanager]) child?.kill("SIGTERM");
  await Promise.all(
    [prometheus, alertmanager].map((c) => c && c.exitCode === null && new Promise((r) => c.once("exit", r))),
  );
  await new Promise((r) => metrics?.close(r));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test("an error spike becomes an incident with the rule's title, severity, service and runbook, pages once through Vigil, and resolves when it recovers", async ({
  request,
}) => {
  erroring = true;
  const list = async () =>
    (await (await request.get("/api/v1/incidents?service=checkout&q=fail%20with%205xx", { headers: auth })).json())
      .data;
  let incident: { ref: string; title: string; group_key: string } | undefined;
  await expect
    .poll(async () => (incident = (await list())[0])?.ref, {
      timeout: 90_000,
      intervals: [1000],
      message: "no incident from the HighErrorRate rule",
    })
    .toBeTruthy();
  if (!incident) throw new Error("unreachable");
  const { ref } = incident;

  // HighErrorRate pages (severity page, as in the seed): a P1.
  expect(incident).toMatchObject({
    severity: "P1",
    service: "checkout",
    team: "payments",
    runbook_url: "http://localhost:3000/runbooks/high-error-rate",
  });
  expect(incident.title).toMatch(/^checkout: \d+(\.\d+)?% of requests fail with 5xx$/);
  expect(incident.group_key).toContain('alertname="HighErrorRate"');
  const { data: alerts } = await (await request.get(`/api/v1/incidents/${ref}/alerts`, { headers: auth })).json();
  expect(alerts[0]).toMatchObject({
    name: "HighErrorRate",
    status: "firing",
    labels: expect.objectContaining({ severity: "page", cluster: "example" }),
  });
  expect(alerts[0].generator_url).toContain("/graph?g0.expr=");

  erroring = false;
  await expect
    .poll(async () => (await (await request.get(`/api/v1/incidents/${ref}`, { headers: auth })).json()).status, {
      timeout: 90_000,
      intervals: [1000],
      message: "the incident did not resolve after the errors stopped",
    })
    .toBe("resolved");
  const resolved = await (await request.get(`/api/v1/incidents/${ref}`, { headers: auth })).json();
  expect(resolved.auto_resolved).toBe(true);
  const timeline = await (await request.get(`/api/v1/incidents/${ref}/timeline`, { headers: auth })).json();
  // Deliveries and the runbook's automatic restart (remediation.spec.ts covers that) have their own events.
  const changes = timeline.data
    .map((e: { kind: string }) => e.kind)
    .filter((kind: string) => !kind.startsWith("notification_") && kind !== "remediation");
  expect(changes).toEqual(["created", "alerts_resolved", "resolved"]);
  // A P1 goes to PagerDuty and Slack critical: the card was posted, and updated when it resolved.
  expect(timeline.data.map((e: { text: string }) => e.text)).toEqual(
    expect.arrayContaining(["Paged via PagerDuty", "Posted to Slack #incidents-critical"]),
  );
  // One pager: PagerDuty holds Vigil's incident for the group and nothing from Alertmanager itself.
  const pagerduty = pagerDutyControl(readE2eState().fakes.pagerduty);
  await expect
    .poll(async () => (await pagerduty.incidents()).filter((p) => p.dedupKey === resolved.id).map((p) => p.status), {
      timeout: 30_000,
      message: "Vigil's page did not resolve",
    })
    .toEqual(["resolved"]);
  expect((await pagerduty.incidents()).filter((p) => p.routingKey === ALERTMANAGER_ROUTING_KEY)).toEqual([]);
});

test("while the database is down the webhook answers 503, and Alertmanager's retries land the alert exactly once", async ({
  request,
}) => {
  const state = readE2eState();
  await setDatabaseReachable(state.databaseProxyControlPort, false);
  try {
    const injected = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        {
          labels: {
            alertname: "DiskWillFillSoon",
            service: "logging",
            team: "observability",
            severity: "warning",
            instance: "log-3",
          },
          annotations: {
            summary: "log-3 disk fills within 4 hours",
            runbook_url: "http://localhost:3000/runbooks/disk-filling-up",
          },
          startsAt: new Date().toISOString(),
        },
      ]),
    });
    expect(injected.status).toBe(200);
    // Alertmanager tried and failed: its own counter says so, and Vigil counted its 503 answers.
    await expect
      .poll(async () => failedWebhookNotifications(await (await fetch(`${alertmanagerUrl}/metrics`)).text()), {
        timeout: 30_000,
        intervals: [500],
      })
      .toBeGreaterThan(0);
    const vigilMetrics = await (await request.get("/metrics")).text();
    expect(vigilMetrics).toMatch(
      /vigil_http_request_duration_seconds_count\{method="POST",route="POST \/api\/v1\/webhooks\/alertmanager",status="503"\} [1-9]/,
    );
    expect(vigilMetrics).toMatch(/^vigil_database_up 0$/m);
  } finally {
    await setDatabaseReachable(state.databaseProxyControlPort, true);
  }

  const find = async () =>
    (await (await request.get("/api/v1/incidents?service=logging&q=disk%20fills", { headers: auth })).json()).data;
  await expect
    .poll(async () => (await find()).length, {
      timeout: 60_000,
      intervals: [1000],
      message: "the alert never landed after recovery",
    })
    .toBe(1);
  // Give Alertmanager a few more group intervals: any doubled delivery would show up now.
  await new Promise((r) => setTimeout(r, 6_000));
  const [incident] = await find();
  expect(await find()).toHaveLength(1);
  const { data: alerts } = await (
    await request.get(`/api/v1/incidents/${incident.ref}/alerts`, { headers: auth })
  ).json();
  expect(alerts).toHaveLength(1);
  const timeline = await (await request.get(`/api/v1/incidents/${incident.ref}/timeline`, { headers: auth })).json();
  expect(timeline.data.filter((e: { kind: string }) => e.kind === "created")).toHaveLength(1);
});

function failedWebhookNotifications(metricsText: string): number {
  const match = /^alertmanager_notifications_failed_total\{[^}]*integration="webhook"[^}]*\} (\d+)/m.exec(metricsText);
  return match ? Number(match[1]) : 0;
}
