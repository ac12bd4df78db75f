// Alertmanager HA in front of the built app: two real Alertmanagers (Debian's) clustered by gossip on
// loopback, each given the same alert as Prometheus gives every member, both delivering to Vigil. With a
// peer timeout too short for gossip to settle, both members notify (the duplicate deliveries a cluster
// makes under lag or a partition), and Vigil still holds one incident with one alert.
import type { ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createDatabaseClient } from "@/db/client";
import { freePort } from "@/db/embedded-postgres";
import { createApiToken } from "@/lib/auth/api-tokens";
import { systemActor } from "@/lib/context";
import {
  ALERTMANAGER,
  MISSING_BINARIES,
  runBinary,
  stopBinaries,
  waitForReady,
  writeAlertmanagerConfig,
} from "./support/alerting";
import { E2E_ADMIN_TOKEN, readE2eState } from "./support/state";

const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

test.describe.configure({ mode: "serial", timeout: 120_000 });
test.skip(!existsSync(ALERTMANAGER), MISSING_BINARIES);

let tmp: string;
const members: { url: string; process: ChildProcess }[] = [];

test.beforeAll(async () => {
  const state = readE2eState();
  tmp = mkdtempSync(path.join(os.tmpdir(), "vigil-am-ha-"));
  chmodSync(tmp, 0o755);
  const db = createDatabaseClient(state.databaseUrl, { max: 1 });
  const { token } = await createApiToken({
    ctx: { db: db.db, actor: systemActor("e2e"), now: new Date() },
    input: { name: "alertmanager-ha", scope: "alerts:write" },
  });
  await db.close();
  // One configuration for both members, as in a StatefulSet: quick group timings, re-sent every few seconds.
  const config = writeAlertmanagerConfig({
    dir: tmp,
    state,
    vigilToken: token,
    pagerDutyRoutingKey: "0123456789abcdef0123456789abcdef",
    route: { group_wait: "1s", group_interval: "2s", repeat_interval: "3s" },
  });

  const webPorts = [await freePort(), await freePort()];
  const clusterPorts = [await freePort(), await freePort()];
  for (const i of [0, 1]) {
    const url = `http://127.0.0.1:${webPorts[i]}`;
    const child = runBinary(`alertmanager-ha-${i}`, ALERTMANAGER, [
      `--config.file=${config}`,
      `--storage.path=${path.join(tmp, `data-${i}`)}`,
      `--web.listen-address=127.0.0.1:${webPorts[i]}`,
      `--web.external-url=${url}`,
      `--cluster.listen-address=127.0.0.1:${clusterPorts[i]}`,
      `--cluster.peer=127.0.0.1:${clusterPorts[1 - i]}`,
      // Shorter than gossip takes, so the second member does not wait to hear that the first one sent:
      // both deliver, the duplicates a lagging or split cluster makes.
      "--cluster.peer-timeout=1ms",
      "--cluster.gossip-interval=200ms",
    ]);
    members.push({ url, process: child });
  }
  for (const member of members) await waitForReady(`${member.url}/-/ready`);
});

test.afterAll(async () => {
  await stopBinaries(members.map((m) => m.process));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** How many notifications this member delivered to Vigil's webhook. */
async function webhookDeliveries(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^alertmanager_notifications_total\{[^}]*integration="webhook"[^}]*\} (\d+)/m.exec(text);
  return match ? Number(match[1]) : 0;
}

test("two clustered Alertmanagers both deliver the same alert, and Vigil opens one incident with one alert", async ({
  request,
}) => {
  // The two have found each other: each lists both members.
  for (const member of members) {
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${member.url}/api/v2/status`)).json()) as { cluster: { peers: unknown[] } }).cluster
            .peers.length,
        { timeout: 30_000, message: `${member.url} did not join the cluster` },
      )
      .toBe(2);
  }

  // Prometheus sends each alert to every member of the cluster.
  const alert = {
    labels: {
      alertname: "QueueBacklog",
      service: "billing-ha",
      team: "payments",
      severity: "warning",
      instance: "billing-1",
      cluster: "example",
    },
    annotations: { summary: "billing queue backlog above 10k" },
    startsAt: new Date().toISOString(),
  };
  for (const member of members) {
    const posted = await fetch(`${member.url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([alert]),
    });
    expect(posted.status).toBe(200);
  }

  // Both members delivered to Vigil, each at least once (and again every repeat interval).
  const deliveries = async () => Promise.all(members.map((m) => webhookDeliveries(m.url)));
  await expect
    .poll(async () => Math.min(...(await deliveries())), {
      timeout: 60_000,
      intervals: [1000],
      message: "not every member delivered to Vigil",
    })
    .toBeGreaterThan(0);
  // A few more rounds of duplicates from both.
  const before = await deliveries();
  await expect
    .poll(async () => (await deliveries()).every((n, i) => n > before[i]!), { timeout: 30_000, intervals: [1000] })
    .toBe(true);

  const { data: incidents } = await (
    await request.get("/api/v1/incidents?service=billing-ha", { headers: auth })
  ).json();
  expect(incidents).toHaveLength(1);
  const [incident] = incidents;
  expect(incident).toMatchObject({ title: "billing queue backlog above 10k", service: "billing-ha", team: "payments" });
  const { data: alerts } = await (
    await request.get(`/api/v1/incidents/${incident.ref}/alerts`, { headers: auth })
  ).json();
  expect(alerts).toHaveLength(1);
  expect(alerts[0]).toMatchObject({ name: "QueueBacklog", status: "firing" });
  const timeline = await (await request.get(`/api/v1/incidents/${incident.ref}/timeline`, { headers: auth })).json();
  expect(timeline.data.filter((e: { kind: string }) => e.kind === "created")).toHaveLength(1);
  expect(timeline.data.filter((e: { kind: string }) => e.kind === "alerts_fired")).toHaveLength(0);

  // Every copy was received and counted: the deduplication figure's numerator.
  const sent = (await deliveries()).reduce((a, b) => a + b, 0);
  const received = async () =>
    Number(
      /^vigil_alerts_received_total\{source="alertmanager"\} (\d+)$/m.exec(
        await (await request.get("/metrics")).text(),
      )?.[1],
    );
  await expect.poll(received, { timeout: 15_000 }).toBeGreaterThanOrEqual(sent);
});
