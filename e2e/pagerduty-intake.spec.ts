// The real Alertmanager with its pagerduty_configs `url` pointed at Vigil's PagerDuty-compatible door:
// an alert fires, a person acknowledges the incident in Vigil, the alert resolves in Alertmanager, and
// Vigil shows one incident with the whole story on its timeline.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import YAML from "yaml";
import { freePort } from "@/db/embedded-postgres";
import { E2E_ADMIN_TOKEN, readE2eState } from "./support/state";

const ALERTMANAGER = "/usr/bin/prometheus-alertmanager";
const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

test.describe.configure({ mode: "serial", timeout: 120_000 });
test.skip(
  !existsSync(ALERTMANAGER),
  "Alertmanager is not installed: apt-get install --no-install-recommends prometheus-alertmanager",
);

let tmp: string;
let alertmanager: ChildProcess;
let alertmanagerUrl: string;

test.beforeAll(async ({ request }) => {
  const state = readE2eState();
  tmp = mkdtempSync(path.join(os.tmpdir(), "vigil-pd-intake-"));
  chmodSync(tmp, 0o755);
  // A pagerduty integration: its secret is the routing key Alertmanager sends.
  const created = await request.post("/api/v1/integrations", {
    headers: auth,
    data: { kind: "pagerduty", name: "Alertmanager via PagerDuty protocol", default_team: "payments" },
  });
  expect(created.status()).toBe(201);
  const { secret } = await created.json();

  const config = {
    route: {
      receiver: "vigil-pagerduty",
      group_by: ["alertname"],
      group_wait: "1s",
      group_interval: "1s",
      repeat_interval: "1h",
    },
    receivers: [
      {
        name: "vigil-pagerduty",
        pagerduty_configs: [
          { routing_key: secret, url: `${state.appUrl}/api/v1/integrations/pagerduty/v2/enqueue`, send_resolved: true },
        ],
      },
    ],
  };
  writeFileSync(path.join(tmp, "alertmanager.yml"), YAML.stringify(config));
  const port = await freePort();
  alertmanagerUrl = `http://127.0.0.1:${port}`;
  alertmanager = spawn(
    ALERTMANAGER,
    [
      `--config.file=${path.join(tmp, "alertmanager.yml")}`,
      `--storage.path=${path.join(tmp, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const log = path.resolve("e2e/artifacts", "alertmanager-pagerduty.log");
  alertmanager.stdout!.on("data", (c: Buffer) => appendFileSync(log, c));
  alertmanager.stderr!.on("data", (c: Buffer) => appendFileSync(log, c));
  await expect
    .poll(async () => (await fetch(`${alertmanagerUrl}/-/ready`).catch(() => null))?.ok, { timeout: 30_000 })
    .toBe(true);
});

test.afterAll(async () => {
  if (alertmanager && alertmanager.exitCode === null) {
    alertmanager.kill("SIGTERM");
    await new Promise((r) => alertmanager.once("exit", r));
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const injectAlert = async (endsAt: Date) => {
  const res = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify([
      {
        labels: { alertname: "PaymentsQueueStuck", service: "payments", severity: "critical" },
        annotations: { summary: "The payments queue has not moved for 10 minutes" },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: endsAt.toISOString(),
        generatorURL: "http://prometheus.example/graph?g0.expr=payments_queue_stuck",
      },
    ]),
  });
  expect(res.ok).toBe(true);
};

test("Alertmanager's pagerduty_configs pointed at Vigil: fire, acknowledge in Vigil, resolve in Alertmanager — one incident, its timeline in order", async ({
  request,
}) => {
  await injectAlert(new Date(Date.now() + 3_600_000));
  const find = async () =>
    (await (await request.get("/api/v1/incidents?q=PaymentsQueueStuck&limit=10", { headers: auth })).json()).data as {
      ref: string;
      status: string;
      severity: string;
      team: string | null;
    }[];
  await expect.poll(async () => (await find()).length, { timeout: 60_000, intervals: [1000] }).toBe(1);
  const [incident] = await find();
  expect(incident).toMatchObject({ status: "open", severity: "P2", team: "payments" });

  const ack = await request.post(`/api/v1/incidents/${incident!.ref}/ack`, { headers: auth });
  expect(ack.ok()).toBe(true);

  await injectAlert(new Date(Date.now() - 1000));
  await expect
    .poll(async () => (await find()).map((i) => i.status), { timeout: 60_000, intervals: [1000] })
    .toEqual(["resolved"]);

  const timeline = await (
    await request.get(`/api/v1/incidents/${incident!.ref}/timeline?order=asc`, { headers: auth })
  ).json();
  const changes = timeline.data
    .map((e: { kind: string }) => e.kind)
    .filter((kind: string) => !kind.startsWith("notification_") && kind !== "remediation");
  expect(changes).toEqual(["created", "acknowledged", "alerts_resolved", "resolved"]);
  expect(timeline.data[0].text).toMatch(/opened from PagerDuty Events API/);
});
