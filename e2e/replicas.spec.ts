// Replicas are safe: two more web servers and a second worker on the one PostgreSQL of the e2e tier.
// Alertmanager-style deliveries for the same groups go to both web servers at once, each several times,
// with alerts joining and the severity rising; afterwards there is one incident per group, every alert
// once with its receipts counted, and every notification once. A browser's live stream on one replica
// hears a change made through the other, and a list page one replica keeps shows it. Alerts whose
// runbook restarts automatically, delivered the same way, restart each deployment once.
import type { ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { freePort } from "@/db/embedded-postgres";
import { fakeControl, pagerDutyControl, type KubernetesReceived, type SlackReceived } from "./fakes";
import { startApp, startWorker, stopProcess, waitForHealthy } from "./support/processes";
import { E2E_ADMIN_TOKEN, readE2eState } from "./support/state";

test.describe.configure({ mode: "serial", timeout: 180_000 });

const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
const GROUPS = 12;
/** Alerts per group: delivery round r carries alerts 0..r, so alert i joins in round i. */
const ALERTS = 3;
/** Each round reaches each replica this many times (Alertmanager's retries and repeat_interval). */
const REPEATS = 2;

let replicas: { url: string; process: ChildProcess }[] = [];
let sql: postgres.Sql;

test.beforeAll(async () => {
  const { workerEnv, databaseUrl } = readE2eState();
  sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    // Pages kept far longer than any test waits: only an incident change's NOTIFY can drop them.
    const web = startApp({ ...workerEnv, PORT: String(port), INCIDENT_READ_CACHE_TTL: "60s" });
    replicas.push({ url: `http://localhost:${port}`, process: web });
  }
  // Global setup runs one worker; this is the second (teardown stops every recorded worker).
  const second = startWorker({ ...workerEnv, WORKER_METRICS_PORT: String(await freePort()) });
  await Promise.all(replicas.map((r) => waitForHealthy(`${r.url}/api/health`, r.process)));
  const liveWorkers = async () =>
    sql<{ pid: number }[]>`select pid from worker_processes where last_seen_at > now() - interval '10 seconds'`.then(
      (rows) => rows.map((r) => r.pid),
    );
  await expect
    .poll(liveWorkers, { timeout: 30_000, message: "the second worker beats its heartbeat" })
    .toContain(second.pid);
  expect((await liveWorkers()).length, "two live workers").toBeGreaterThanOrEqual(2);
});

test.afterAll(async () => {
  await Promise.all(replicas.map((r) => stopProcess(r.process)));
  replicas = [];
  await sql?.end();
});

function payload(groupKey: string, service: string, round: number, startsAt: string) {
  // The second alert pages (P1): the incident opens as P2 or P1, depending on which delivery lands first.
  const alerts = Array.from({ length: round + 1 }, (_, i) => {
    const labels = {
      alertname: "ReplicaDrill",
      service,
      instance: `node-${i}`,
      severity: i === 1 ? "page" : "critical",
    };
    return {
      status: "firing",
      labels,
      annotations: { summary: `${service} drill` },
      startsAt,
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus:9090/graph",
    };
  });
  return {
    version: "4",
    groupKey,
    status: "firing",
    receiver: "vigil",
    alerts,
    groupLabels: { alertname: "ReplicaDrill", service },
    commonLabels: { alertname: "ReplicaDrill", service },
    commonAnnotations: { summary: `${service} drill` },
    externalURL: "http://alertmanager:9093",
    truncatedAlerts: 0,
  };
}

const shuffle = <T>(items: T[]): T[] => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
};

test("interleaved deliveries of the same groups to two web replicas make one incident per group, each alert once, each notification once", async () => {
  const run = Date.now();
  const startsAt = new Date().toISOString();
  const groups = Array.from({ length: GROUPS }, (_, g) => ({
    key: `{}:{alertname="ReplicaDrill", run="${run}", group="${g}"}`,
    service: `replica-${run}-${g}`,
  }));
  const deliveries = shuffle(
    groups.flatMap((group) =>
      Array.from({ length: ALERTS }, (_, round) =>
        replicas.flatMap((replica) =>
          Array.from({ length: REPEATS }, () => ({
            replica,
            body: payload(group.key, group.service, round, startsAt),
          })),
        ),
      ).flat(),
    ),
  );
  const answers = await Promise.all(
    deliveries.map(
      async ({ replica, body }) =>
        (
          await fetch(`${replica.url}/api/v1/webhooks/alertmanager`, {
            method: "POST",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify(body),
          })
        ).status,
    ),
  );
  expect(
    answers.filter((s) => s !== 200),
    "every delivery answered 200",
  ).toEqual([]);

  const incidents = await sql<{ id: string; group_key: string; severity: string }[]>`
    select id, group_key, severity from incidents where group_key = any(${groups.map((g) => g.key)}) order by group_key`;
  expect(incidents.map((i) => i.group_key).sort(), "one incident per group").toEqual(groups.map((g) => g.key).sort());
  expect(new Set(incidents.map((i) => i.severity))).toEqual(new Set(["P1"]));
  const ids = incidents.map((i) => i.id);

  const alerts = await sql<{ incident_id: string; instance: string; receive_count: number }[]>`
    select incident_id, labels->>'instance' as instance, receive_count from alerts where incident_id = any(${ids})`;
  const perDelivery = replicas.length * REPEATS;
  for (const id of ids) {
    const mine = alerts.filter((a) => a.incident_id === id).sort((a, b) => a.instance.localeCompare(b.instance));
    // Alert i is in the deliveries of rounds i..ALERTS-1, each sent to every replica REPEATS times.
    expect(mine.map((a) => [a.instance, a.receive_count])).toEqual(
      Array.from({ length: ALERTS }, (_, i) => [`node-${i}`, (ALERTS - i) * perDelivery]),
    );
  }
  const created =
    await sql`select incident_id from timeline_events where kind = 'created' and incident_id = any(${ids})`;
  expect(created, "one `created` event per incident").toHaveLength(GROUPS);
  const fired = await sql<{ n: number }[]>`
    select coalesce(sum(jsonb_array_length(data->'alerts')), 0)::int as n from timeline_events where kind = 'alerts_fired' and incident_id = any(${ids})`;
  const openedWith = await sql<{ n: number }[]>`
    select coalesce(sum(jsonb_array_length(data->'alerts')), 0)::int as n from timeline_events where kind = 'created' and incident_id = any(${ids})`;
  expect(
    fired[0]!.n + openedWith[0]!.n,
    "each alert is on the timeline once, when it opened the incident or joined it",
  ).toBe(GROUPS * ALERTS);

  // Let both workers plan and deliver everything: no planning left in the queue, no message underway.
  await expect
    .poll(
      async () => {
        // graphile-worker's public `jobs` view leaves the payload out; its table has it.
        const [queued] = await sql<{ n: number }[]>`
          select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
           where (t.identifier = 'notify.plan' and (j.payload->>'event_id')::bigint in (select id from timeline_events where incident_id = any(${ids})))
              or (t.identifier = 'notify.deliver' and (j.payload->>'notification_id')::uuid in (select id from notifications where incident_id = any(${ids})))`;
        const [unsent] = await sql<
          { n: number }[]
        >`select count(*)::int as n from notifications where incident_id = any(${ids}) and status <> 'sent'`;
        return queued!.n + unsent!.n;
      },
      { timeout: 90_000, intervals: [1000], message: "notifications still planned or underway" },
    )
    .toBe(0);

  const notifications = await sql<
    { id: string; incident_id: string; channel: string; purpose: string; target: string }[]
  >`
    select id, incident_id, channel, purpose, target from notifications where incident_id = any(${ids})`;
  for (const id of ids) {
    const opens = notifications
      .filter((n) => n.incident_id === id && n.purpose === "open")
      .map((n) => `${n.channel}:${n.target}`)
      .sort();
    expect(opens, `incident ${id}: one first message per channel`).toEqual([
      "pagerduty:default",
      "slack:#incidents-critical",
    ]);
  }

  const { fakes } = readE2eState();
  const pagerduty = pagerDutyControl(fakes.pagerduty);
  for (const id of ids) {
    expect(
      (await pagerduty.events(id)).filter((e) => e.event_action === "trigger"),
      `incident ${id}: paged once`,
    ).toHaveLength(1);
  }
  // Every Slack message carries its notification's id: each appears once, and each Slack notification has one.
  const slackMessages = (await fakeControl<SlackReceived>(fakes.slack).received()).filter(
    (r) =>
      r.method === "chat.postMessage" &&
      r.ok &&
      ids.includes(
        String(
          (r.params.metadata as { event_payload?: { incident_id?: string } } | undefined)?.event_payload?.incident_id,
        ),
      ),
  );
  const posted = slackMessages
    .map((m) =>
      String((m.params.metadata as { event_payload: { notification_id: string } }).event_payload.notification_id),
    )
    .sort();
  expect(posted, "each Slack notification posted exactly once").toEqual(
    notifications
      .filter((n) => n.channel === "slack")
      .map((n) => n.id)
      .sort(),
  );
});

test("an automatic restart asked for through both replicas at once runs once per deployment", async () => {
  const run = Date.now();
  const kubernetes = fakeControl<KubernetesReceived>(readE2eState().workerEnv.KUBERNETES_API_URL!);
  const names = Array.from({ length: 6 }, (_, i) => `replica-restart-${run}-${i}`);
  for (const name of names) await kubernetes.post("deployments", { namespace: "shop", name, replicas: 2 });
  const startsAt = new Date().toISOString();
  const body = (name: string) => {
    const labels = {
      alertname: "HighErrorRate",
      service: name,
      namespace: "shop",
      deployment: name,
      severity: "critical",
    };
    const annotations = {
      summary: `${name}: 5xx above 5%`,
      runbook_url: "http://localhost:3000/runbooks/high-error-rate",
    };
    return {
      version: "4",
      status: "firing",
      groupKey: `{}:{alertname="HighErrorRate",service="${name}"}`,
      alerts: [{ status: "firing", labels, annotations, startsAt }],
      groupLabels: {},
      commonLabels: labels,
      commonAnnotations: annotations,
    };
  };
  const deliveries = shuffle(
    names.flatMap((name) =>
      replicas.flatMap((replica) => Array.from({ length: REPEATS }, () => ({ replica, body: body(name) }))),
    ),
  );
  const answers = await Promise.all(
    deliveries.map(
      async ({ replica, body: b }) =>
        (
          await fetch(`${replica.url}/api/v1/webhooks/alertmanager`, {
            method: "POST",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify(b),
          })
        ).status,
    ),
  );
  expect(
    answers.filter((a) => a !== 200),
    "every delivery answered 200",
  ).toEqual([]);

  const runs = async () =>
    sql<{ service: string; status: string }[]>`
      select i.service, r.status from remediation_runs r join incidents i on i.id = r.incident_id where i.service = any(${names}) and r.automatic`;
  await expect
    .poll(async () => (await runs()).filter((r) => r.status === "succeeded").length, {
      timeout: 60_000,
      intervals: [500],
      message: "every restart finished",
    })
    .toBe(names.length);
  expect((await runs()).map((r) => r.service).sort(), "one automatic run per deployment").toEqual([...names].sort());
  const patches = (await kubernetes.received()).filter((r) => r.method === "PATCH" && names.includes(String(r.name)));
  expect(patches.map((p) => p.name).sort(), "each deployment restarted once").toEqual([...names].sort());
});

interface IncidentNotice {
  incident_id: string;
  event_id: number;
  kind: string;
}

/** Reads a server-sent-event stream as it arrives; `until` waits for a comment or an `incident` event. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const notices = () =>
    [...text.matchAll(/^event: incident\ndata: (.+)$/gm)].map((m) => JSON.parse(m[1]!) as IncidentNotice);
  async function until(found: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!found()) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<"timeout">((r) => setTimeout(() => r("timeout"), Math.max(0, deadline - Date.now()))),
      ]);
      if (chunk === "timeout")
        throw new Error(`the stream did not carry ${what} within ${timeoutMs} ms; it got:\n${text}`);
      if (chunk.done) throw new Error(`the stream ended before ${what}; it got:\n${text}`);
      text += decoder.decode(chunk.value, { stream: true });
    }
  }
  return {
    connected: () => until(() => text.includes(": connected"), "its `connected` comment"),
    event: (incidentId: string, kind: string) =>
      until(
        () => notices().some((n) => n.incident_id === incidentId && n.kind === kind),
        `a ${kind} event of ${incidentId}`,
      ),
    close: () => reader.cancel().catch(() => {}),
  };
}

test("a live stream on one replica hears a change made through the other", async ({ request }) => {
  const [a, b] = replicas as [(typeof replicas)[number], (typeof replicas)[number]];
  const controller = new AbortController();
  const stream = await fetch(`${a.url}/api/v1/stream`, { headers: auth, signal: controller.signal });
  expect(stream.status).toBe(200);
  expect(stream.headers.get("content-type")).toContain("text/event-stream");
  const events = sseReader(stream.body!);
  try {
    await events.connected();
    const created = await (
      await request.post(`${b.url}/api/v1/incidents`, {
        headers: auth,
        data: { title: `Seen from the other replica ${Date.now()}`, severity: "P4" },
      })
    ).json();
    await events.event(created.id, "created");
    expect((await request.post(`${b.url}/api/v1/incidents/${created.ref}/ack`, { headers: auth })).status()).toBe(200);
    await events.event(created.id, "acknowledged");
  } finally {
    await events.close();
    controller.abort();
  }
});

test("a list page one replica keeps shows a change made through the other", async ({ request }) => {
  const [a, b] = replicas as [(typeof replicas)[number], (typeof replicas)[number]];
  const service = `kept-page-${Date.now()}`;
  const created = await (
    await request.post(`${b.url}/api/v1/incidents`, {
      headers: auth,
      data: { title: "Kept on the other replica", severity: "P4", service },
    })
  ).json();
  const statusOnA = async () => {
    const res = await request.get(`${a.url}/api/v1/incidents?service=${service}`, { headers: auth });
    expect(res.status()).toBe(200);
    return ((await res.json()) as { data: { ref: string; status: string }[] }).data.map((i) => `${i.ref} ${i.status}`);
  };
  await expect.poll(statusOnA, { timeout: 5_000 }).toEqual([`${created.ref} open`]);
  expect(await statusOnA()).toEqual([`${created.ref} open`]); // now answered from A's memory
  expect((await request.post(`${b.url}/api/v1/incidents/${created.ref}/ack`, { headers: auth })).status()).toBe(200);
  await expect.poll(statusOnA, { timeout: 5_000, intervals: [20] }).toEqual([`${created.ref} acknowledged`]);
});
