// Benchmark: from the Alertmanager webhook to the Slack card. The production build (`next start`) and the
// worker (`node --import tsx worker/index.ts`) run against loopback fakes of Slack, PagerDuty, SMS and
// SMTP (e2e/fakes). A fixed-rate sender posts 100 alerts per second, by default each in a new alert group
// of its own (one critical alert per webhook: a new P2 incident, routed to Slack critical only by the
// built-in routing; `--alerts-per-group 5` sends groups of five instead), and the benchmark measures
// the time from sending the webhook to the fake Slack receiving chat.postMessage for that incident. It
// also measures the worker's queue pickup with triggers on graphile-worker's job table in the bench
// database (nothing in the product is changed). See bench/README.md.
//
//   npm run build
//   node --import tsx bench/notify.ts [--rate 100] [--duration 30] [--alerts-per-group 1]
//   (more options: --help)
//
// DATABASE_URL names the PostgreSQL server to use (a database vigil_bench_<pid> is created on it and
// dropped afterwards); without it an embedded PostgreSQL is started in a temporary directory.
import { writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@/db/client";
import { freePort } from "@/db/embedded-postgres";
import { startAllFakes, type AllFakes } from "@/e2e/fakes";
import { alert, webhook } from "@/test/alertmanager";
import {
  appEnv,
  classifier,
  createBenchDatabaseWithToken,
  describeCpu,
  describeMachine,
  describeWaits,
  disturbed,
  ensureResultsDir,
  exited,
  fileStamp,
  fmt,
  machineInfo,
  onCleanup,
  percentiles,
  positiveInt,
  readBuild,
  resultsDir,
  root,
  runBenchmark,
  say,
  sleep,
  speedProbeMs,
  startCpuProbe,
  startDetached,
  startWaitSampler,
  startWebServer,
  tailOf,
  waitForIdle,
  warnIfRebuilt,
  type BenchDatabase,
} from "./support";

// ---- Options ----

const usage = `node --import tsx bench/notify.ts [--rate 100] [--duration 30]
    [--alerts-per-group 1] alerts in each webhook, all of one new group (--rate counts alerts)
    [--warmup 5]         seconds at a fifth of the rate first (not measured)
    [--probes 200]       no-op jobs enqueued one by one (20/s) on the idle worker, to measure pickup alone
    [--keep-db]          keep the bench database afterwards
    [--profile]          write V8 CPU profiles of the server and the worker to bench/results/
    [--wait-idle 900]    seconds to wait for other work on the machine to stop before measuring (0: don't)`;

const { values: args } = parseArgs({
  options: {
    rate: { type: "string", default: "100" },
    "alerts-per-group": { type: "string", default: "1" },
    duration: { type: "string", default: "30" },
    warmup: { type: "string", default: "5" },
    probes: { type: "string", default: "200" },
    "keep-db": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    "wait-idle": { type: "string", default: "900" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const rate = positiveInt("rate", args.rate);
const alertsPerGroup = positiveInt("alerts-per-group", args["alerts-per-group"]);
/** New groups (webhooks, incidents) per second. */
const groupRate = rate / alertsPerGroup;
const describeLoad = (alertsPerSecond: number) =>
  alertsPerGroup === 1
    ? `${alertsPerSecond} new alert groups/s`
    : `${alertsPerSecond} alerts/s as ${alertsPerSecond / alertsPerGroup} new groups/s of ${alertsPerGroup} alerts`;
const duration = positiveInt("duration", args.duration);
const warmupSeconds = args.warmup === "0" ? 0 : positiveInt("warmup", args.warmup);
const probeCount = args.probes === "0" ? 0 : positiveInt("probes", args.probes);
const waitIdleSeconds = args["wait-idle"] === "0" ? 0 : positiveInt("wait-idle", args["wait-idle"]);

// ---- Instrumentation: when each job was committed, taken by a worker, and finished ----

/**
 * Triggers on graphile_worker._private_jobs in the bench database log, with clock_timestamp():
 * - `insert`: the row was inserted (inside the enqueuing transaction, so before it commits);
 * - `commit`: a deferred constraint trigger, which runs at the commit of the enqueuing transaction: from
 *   about then on a worker can see the job (the commit's WAL flush follows, so this is a little early);
 * - `lock`: a worker's fetch query set locked_at (the job is taken; the task starts as the query returns);
 * - `unlock`: the job was given back (failed, to be retried);
 * - `done`: the row was deleted: the task finished and the worker recorded it.
 * Pickup = lock − commit. The triggers add an insert per event to the enqueuing and fetching
 * transactions, a small cost the figures include.
 */
const instrumentationSql = `
create table public.bench_job_events (job_id bigint not null, task_id int, event text not null, at timestamptz not null default clock_timestamp(), payload json);
create function public.bench_job_event() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into public.bench_job_events (job_id, task_id, event, payload) values (new.id, new.task_id, 'insert', new.payload);
  elsif tg_op = 'UPDATE' then
    if new.locked_at is not null and old.locked_at is null then
      insert into public.bench_job_events (job_id, task_id, event) values (new.id, new.task_id, 'lock');
    elsif new.locked_at is null and old.locked_at is not null then
      insert into public.bench_job_events (job_id, task_id, event) values (new.id, new.task_id, 'unlock');
    end if;
  else
    insert into public.bench_job_events (job_id, task_id, event) values (old.id, old.task_id, 'done');
  end if;
  return null;
end $$;
create function public.bench_job_commit() returns trigger language plpgsql as $$
begin
  insert into public.bench_job_events (job_id, task_id, event) values (new.id, new.task_id, 'commit');
  return null;
end $$;
create trigger bench_job_events after insert or update or delete on graphile_worker._private_jobs for each row execute function public.bench_job_event();
create constraint trigger bench_job_commit after insert on graphile_worker._private_jobs deferrable initially deferred for each row execute function public.bench_job_commit();
`;

interface JobTimes {
  id: number;
  task: string;
  payload: Record<string, unknown> | null;
  insert?: number;
  commit?: number;
  lock?: number;
  done?: number;
  unlocks: number;
}

async function jobTimes(bench: BenchDatabase): Promise<Map<number, JobTimes>> {
  const client = createDatabaseClient(bench.url, { max: 1, applicationName: "vigil-bench-check" });
  try {
    const rows = await client.sql<
      { job_id: string; task: string; event: string; at_ms: string; payload: Record<string, unknown> | null }[]
    >`
      select e.job_id, t.identifier as task, e.event, extract(epoch from e.at) * 1000 as at_ms, e.payload
      from public.bench_job_events e join graphile_worker._private_tasks t on t.id = e.task_id order by e.at`;
    const jobs = new Map<number, JobTimes>();
    for (const r of rows) {
      const id = Number(r.job_id);
      const job = jobs.get(id) ?? { id, task: r.task, payload: null, unlocks: 0 };
      const at = Number(r.at_ms);
      if (r.event === "insert") {
        job.insert = at;
        job.payload = r.payload;
      } else if (r.event === "commit") job.commit = at;
      else if (r.event === "lock")
        job.lock ??= at; // the first take is the pickup
      else if (r.event === "unlock") job.unlocks++;
      else if (r.event === "done") job.done = at;
      jobs.set(id, job);
    }
    return jobs;
  } finally {
    await client.close();
  }
}

// ---- Sending ----

interface Sent {
  i: number;
  groupKey: string;
  /** When it was due and when it was sent (ms since the epoch, this machine's clock). */
  due: number;
  sentAt: number;
  answeredAt?: number;
  status?: number;
  ref?: string;
  error?: string;
}

function post(
  agent: http.Agent,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("timed out after 30 s")));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Open loop at a fixed rate: group i is due at start + i / rate, sent then whatever the earlier answers
 * do (a slow server does not slow the sender down, so queueing shows in the latency).
 */
async function sendAtRate(options: {
  url: string;
  headers: Record<string, string>;
  rate: number;
  seconds: number;
  label: string;
}): Promise<Sent[]> {
  const { url, headers, label } = options;
  // options.rate is in groups (webhooks) per second.
  const count = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const sent: Sent[] = [];
  const pending: Promise<void>[] = [];
  // Keep-alive connections, at most 256 at once (more only when the server is far behind: then the wait
  // for a free connection counts in the latency, as it would for Alertmanager). A new pool per phase,
  // so that no connection the server closed while idle between phases is reused.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const start = Date.now() + 20;
  for (let i = 0; i < count; i++) {
    const due = start + i * interval;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    // HighLatency: its runbook matches (so the remediation trigger does its real work for every incident)
    // but has no automatic action, so what is measured is notification alone, not restarts as well.
    const groupKey = `{}/{severity="critical"}:{alertname="HighLatency", bench="${label}-${i}"}`;
    const service = `svc-${i % 40}`;
    const body = JSON.stringify(
      webhook(
        groupKey,
        Array.from({ length: alertsPerGroup }, (_, k) =>
          alert({
            labels: {
              alertname: "HighLatency",
              bench: `${label}-${i}`,
              service,
              severity: "critical",
              instance: `10.0.${i % 250}.${k + 1}:9100`,
            },
            annotations: {
              summary: `High p95 latency on ${service} (${label} ${i})`,
              runbook_url: "https://runbooks.example/HighLatency",
            },
            startsAt: new Date().toISOString(),
          }),
        ),
      ),
    );
    const s: Sent = { i, groupKey, due, sentAt: Date.now() };
    sent.push(s);
    pending.push(
      post(agent, url, headers, body).then(
        ({ status, text }) => {
          s.answeredAt = Date.now();
          s.status = status;
          if (status === 200) s.ref = (JSON.parse(text) as { incidents: { created: string[] } }).incidents.created[0];
          else s.error = text.slice(0, 300);
        },
        (error: unknown) => {
          s.answeredAt = Date.now();
          s.error = String(error);
        },
      ),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return sent;
}

/** When the fake Slack received chat.postMessage for each incident ref (ms since the epoch), and how many times. */
function cardsByRef(fakes: AllFakes): Map<string, number[]> {
  const cards = new Map<string, number[]>();
  for (const r of fakes.slack.received) {
    if (r.method !== "chat.postMessage" || r.ok !== true || r.params.thread_ts) continue;
    const ref = /\b(INC-\d+):/.exec(String(r.params.text ?? ""))?.[1];
    if (ref) cards.set(ref, [...(cards.get(ref) ?? []), Date.parse(r.at)]);
  }
  return cards;
}

async function waitForCards(fakes: AllFakes, refs: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const cards = cardsByRef(fakes);
    if (refs.every((ref) => cards.has(ref))) return;
    await sleep(250);
  }
}

// ---- Main ----

async function main(): Promise<void> {
  const startedAt = new Date();
  const stamp = fileStamp(startedAt);
  ensureResultsDir();
  const build = readBuild();
  if (!build) {
    process.exitCode = 1;
    return;
  }
  say(`Production build ${build.id} from ${build.builtAt}.`);

  const { bench, token } = await createBenchDatabaseWithToken({ keep: args["keep-db"], extraSql: instrumentationSql });

  const fakes = await startAllFakes();
  onCleanup(() => fakes.close());
  say(
    `Fakes: Slack ${fakes.slack.url}, PagerDuty ${fakes.pagerduty.url}, SMS ${fakes.sms.url}, SMTP ${fakes.env.SMTP_URL}`,
  );

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = appEnv(bench.url, port, {
    ...fakes.env,
    // No routing file: the built-in routing applies (P2 -> Slack critical, email as the fallback).
    VIGIL_CONFIG: path.join(resultsDir, "no-such-routing-file.yaml"),
    WORKER_METRICS_PORT: "0",
  });
  const serverLog = path.join(resultsDir, `notify-${stamp}.server.log`);
  const workerLog = path.join(resultsDir, `notify-${stamp}.worker.log`);
  say(
    `Starting next start on port ${port} (log: ${path.relative(root, serverLog)}) and the worker (log: ${path.relative(root, workerLog)})…`,
  );
  // --profile: V8 CPU profiles over the whole run (open them in Chrome DevTools or speedscope).
  const profileFlags = (name: string) =>
    args.profile
      ? ["--cpu-prof", `--cpu-prof-dir=${resultsDir}`, `--cpu-prof-name=notify-${stamp}.${name}.cpuprofile`]
      : [];
  const web = await startWebServer({ port, env, logFile: serverLog, nodeFlags: profileFlags("server") });
  const worker = startDetached(
    process.execPath,
    [...profileFlags("worker"), "--import", "tsx", path.join(root, "worker/index.ts")],
    env,
    workerLog,
  );

  const check = createDatabaseClient(bench.url, { max: 1, applicationName: "vigil-bench-probe" });
  onCleanup(() => check.close());
  /** A job the plan task finishes at once: its timeline event does not exist. */
  const noOpJob = () =>
    check.sql`select graphile_worker.add_job('notify.plan', json_build_object('event_id', 2147483647))`;
  const isProbe = (j: JobTimes) => j.task === "notify.plan" && j.payload?.event_id === 2147483647;

  // The worker is ready once it has run a job.
  {
    await noOpJob();
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited(worker))
        throw new Error(
          `the worker exited (${worker.exitCode ?? worker.signalCode}); see ${workerLog}\n${tailOf(worker)}`,
        );
      const [row] = await check.sql<
        { n: number }[]
      >`select count(*)::int as n from public.bench_job_events where event = 'done'`;
      if (row!.n > 0) break;
      if (Date.now() > deadline)
        throw new Error(`the worker ran no job within 60 s; see ${workerLog}\n${tailOf(worker)}`);
      await sleep(200);
    }
    say("The worker runs jobs.");
  }

  const url = `${base}/api/v1/webhooks/alertmanager`;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const roles = () => ({ server: web.pid, worker: worker.pid });

  // 1. Warm-up at a fifth of the rate (not measured).
  if (warmupSeconds > 0) {
    say(`Warming up: ${describeLoad(rate / 5)} for ${warmupSeconds} s…`);
    const warm = await sendAtRate({ url, headers, rate: groupRate / 5, seconds: warmupSeconds, label: "warmup" });
    const bad = warm.filter((s) => s.status !== 200);
    if (bad.length)
      throw new Error(`${bad.length} warm-up deliveries failed, e.g. ${bad[0]!.status}: ${bad[0]!.error}`);
    await waitForCards(
      fakes,
      warm.map((s) => s.ref!),
      30_000,
    );
  }

  // 2. The measurement, on a quiet machine (measured again, at most twice, with new groups, when other
  // work disturbed it).
  let attempt = 0;
  let idleBefore, foreignDuring, windowStart, sent, sendingDone, okRefs, cardsDone, waits, speedBefore;
  do {
    attempt++;
    if (attempt > 1) say("  other work disturbed this measurement; measuring again with new groups");
    idleBefore = await waitForIdle(classifier(roles()), waitIdleSeconds);
    speedBefore = speedProbeMs();
    say(
      `Measuring: ${describeLoad(rate)} for ${duration} s (CPU busy just before: ${describeCpu(idleBefore)}; speed probe ${speedBefore} ms)…`,
    );
    windowStart = Date.now();
    const probe = startCpuProbe();
    const sampler = startWaitSampler(bench);
    sent = await sendAtRate({ url, headers, rate: groupRate, seconds: duration, label: `run${attempt}` });
    sendingDone = Date.now();
    waits = await sampler.finish();
    okRefs = sent.filter((s) => s.status === 200 && s.ref).map((s) => s.ref!);
    await waitForCards(fakes, okRefs, 60_000);
    const backends = await bench.backends();
    foreignDuring = probe.finish(classifier(roles(), backends));
    cardsDone = Date.now();
    say(`  ${okRefs.length} incidents, ${describeCpu(foreignDuring)}`);
    await sleep(1000); // the deliver jobs' last writes
  } while (disturbed(null, foreignDuring) && attempt < 3);

  // 3. Pickup on an idle worker: no-op jobs enqueued one at a time.
  if (probeCount > 0) {
    say(`Queue pickup on the idle worker: ${probeCount} no-op jobs, 20 per second…`);
    for (let i = 0; i < probeCount; i++) {
      await noOpJob();
      await sleep(50);
    }
    await sleep(1000);
  }

  // 4. Results.
  const cards = cardsByRef(fakes);
  const jobs = await jobTimes(bench);
  const refsSent = new Set(okRefs);
  const latencies: number[] = [];
  const webhookLatencies: number[] = [];
  const missing: string[] = [];
  const duplicates: string[] = [];
  for (const s of sent) {
    if (s.answeredAt !== undefined && s.status === 200) webhookLatencies.push(s.answeredAt - s.sentAt);
    if (!s.ref) continue;
    const at = cards.get(s.ref);
    if (!at) missing.push(s.ref);
    else {
      latencies.push(Math.min(...at) - s.sentAt);
      if (at.length > 1) duplicates.push(s.ref);
    }
  }
  const cardsForRun = [...cards.keys()].filter((ref) => refsSent.has(ref)).length;
  const failedSends = sent.filter((s) => s.status !== 200);
  const lateness = sent.map((s) => s.sentAt - s.due);
  const achievedRate = (sent.length - 1) / Math.max(0.001, (sent.at(-1)!.sentAt - sent[0]!.sentAt) / 1000);

  // Per incident: the stages between sending and the card, from the job log.
  const client = createDatabaseClient(bench.url, { max: 1, applicationName: "vigil-bench-check" });
  let byRef: Map<string, { eventId: number; notificationId: string | null; status: string | null }>;
  let notificationStatuses: Record<string, number>;
  let incidentsCount: number;
  try {
    const rows = await client.sql<
      { ref: string; event_id: string; notification_id: string | null; status: string | null }[]
    >`
      select 'INC-' || i.number as ref, t.id as event_id, n.id as notification_id, n.status::text as status
      from incidents i
      join timeline_events t on t.incident_id = i.id and t.kind = 'created'
      left join notifications n on n.timeline_event_id = t.id`;
    byRef = new Map(
      rows.map((r) => [r.ref, { eventId: Number(r.event_id), notificationId: r.notification_id, status: r.status }]),
    );
    notificationStatuses = {};
    for (const r of await client.sql<
      { channel: string; status: string; n: number }[]
    >`select channel::text, status::text, count(*)::int as n from notifications group by 1, 2`) {
      notificationStatuses[`${r.channel} ${r.status}`] = r.n;
    }
    incidentsCount = (await client.sql<{ n: number }[]>`select count(*)::int as n from incidents`)[0]!.n;
  } finally {
    await client.close();
  }
  const planByEvent = new Map<number, JobTimes>();
  const deliverByNotification = new Map<string, JobTimes>();
  for (const j of jobs.values()) {
    if (j.task === "notify.plan" && typeof j.payload?.event_id === "number") planByEvent.set(j.payload.event_id, j);
    if (
      j.task === "notify.deliver" &&
      typeof j.payload?.notification_id === "string" &&
      !deliverByNotification.has(j.payload.notification_id)
    ) {
      deliverByNotification.set(j.payload.notification_id, j);
    }
  }
  // A new incident's card is planned by the ingestion transaction; a `notify.plan` job plans it only when
  // the web server could not use the routing file. Both paths are measured.
  const stageNames = [
    "webhook sent → first job committed (HTTP + ingestion transaction)",
    "plan job committed → taken by a worker (pickup), where a job planned",
    "plan job taken → deliver job committed (planning), where a job planned",
    "deliver job committed → taken by a worker (pickup)",
    "deliver job taken → Slack received chat.postMessage",
    "webhook sent → webhook answered",
  ] as const;
  const stages: Record<string, number[]> = Object.fromEntries(stageNames.map((n) => [n, []]));
  const pickupPlan: number[] = [];
  const pickupDeliver: number[] = [];
  for (const s of sent) {
    const info = s.ref ? byRef.get(s.ref) : undefined;
    const card = s.ref ? cards.get(s.ref)?.[0] : undefined;
    const plan = info ? planByEvent.get(info.eventId) : undefined;
    const deliver = info?.notificationId ? deliverByNotification.get(info.notificationId) : undefined;
    if (!deliver?.commit || !deliver.lock || card === undefined) continue;
    if (plan && (!plan.commit || !plan.lock)) continue;
    stages[stageNames[0]]!.push((plan?.commit ?? deliver.commit) - s.sentAt);
    if (plan?.commit && plan.lock) {
      stages[stageNames[1]]!.push(plan.lock - plan.commit);
      stages[stageNames[2]]!.push(deliver.commit - plan.lock);
      pickupPlan.push(plan.lock - plan.commit);
    }
    stages[stageNames[3]]!.push(deliver.lock - deliver.commit);
    stages[stageNames[4]]!.push(card - deliver.lock);
    if (s.answeredAt) stages[stageNames[5]]!.push(s.answeredAt - s.sentAt);
    pickupDeliver.push(deliver.lock - deliver.commit);
  }
  const probes = [...jobs.values()].filter((j) => isProbe(j) && j.commit && j.lock && j.commit > cardsDone);
  const probePickup = probes.map((j) => j.lock! - j.commit!);
  const probeRun = probes.filter((j) => j.done).map((j) => j.done! - j.lock!);
  const retried = [...jobs.values()].filter((j) => j.unlocks > 0 && (j.insert ?? 0) >= windowStart).length;

  const e2e = percentiles(latencies);
  const hook = percentiles(webhookLatencies);
  const pickupAll = percentiles([...pickupPlan, ...pickupDeliver]);
  const idlePickup = percentiles(probePickup);
  const r1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
  const machine = machineInfo(bench);
  const speedProbe = { beforeMs: speedBefore, afterMs: speedProbeMs() };
  const perCard = (role: string) => {
    const pct = foreignDuring?.roles[role];
    const perSecond = cardsForRun / Math.max(0.001, (cardsDone - windowStart) / 1000);
    return pct === undefined ? "–" : ((pct * 10) / perSecond).toFixed(2);
  };
  const stageTable = [
    "| stage | count | p50 ms | p90 ms | p99 ms | max ms |",
    "|---|---:|---:|---:|---:|---:|",
    ...stageNames.map((n) => {
      const p = percentiles(stages[n]!);
      return `| ${n} | ${p.count} | ${r1(p.p50)} | ${r1(p.p90)} | ${r1(p.p99)} | ${r1(p.max)} |`;
    }),
  ].join("\n");
  const goals = {
    endToEnd: e2e.p50 <= 200 && e2e.p99 <= 1000,
    pickup: pickupAll.p50 <= 10,
    complete:
      missing.length === 0 && duplicates.length === 0 && failedSends.length === 0 && cardsForRun === okRefs.length,
  };
  console.log(
    `\n### Alertmanager webhook → Slack card: ${describeLoad(rate)} for ${duration} s, ${startedAt.toISOString()}\n` +
      `${describeMachine(machine)}; build ${build.id} (${build.builtAt}); speed probe ${speedProbe.beforeMs} ms before, ${speedProbe.afterMs} ms after (a fixed CPU workload, lower is faster)\n\n` +
      `Sent ${fmt(sent.length)} webhooks at ${achievedRate.toFixed(1)}/s (sender late by p99 ${r1(percentiles(lateness).p99)} ms, max ${r1(percentiles(lateness).max)} ms); ` +
      `${failedSends.length} failed; ${fmt(okRefs.length)} incidents opened; ${fmt(cardsForRun)} cards, ${missing.length} missing, ${duplicates.length} incidents with more than one card.\n\n` +
      `| measure | count | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n` +
      `| webhook sent → Slack chat.postMessage received | ${e2e.count} | ${r1(e2e.p50)} | ${r1(e2e.p90)} | ${r1(e2e.p99)} | ${r1(e2e.max)} |\n` +
      `| webhook answered (HTTP latency) | ${hook.count} | ${r1(hook.p50)} | ${r1(hook.p90)} | ${r1(hook.p99)} | ${r1(hook.max)} |\n` +
      `| queue pickup under load (plan and deliver jobs: commit → lock) | ${pickupAll.count} | ${r1(pickupAll.p50)} | ${r1(pickupAll.p90)} | ${r1(pickupAll.p99)} | ${r1(pickupAll.max)} |\n` +
      `| queue pickup, plan jobs only | ${pickupPlan.length} | ${r1(percentiles(pickupPlan).p50)} | ${r1(percentiles(pickupPlan).p90)} | ${r1(percentiles(pickupPlan).p99)} | ${r1(percentiles(pickupPlan).max)} |\n` +
      `| queue pickup, deliver jobs only | ${pickupDeliver.length} | ${r1(percentiles(pickupDeliver).p50)} | ${r1(percentiles(pickupDeliver).p90)} | ${r1(percentiles(pickupDeliver).p99)} | ${r1(percentiles(pickupDeliver).max)} |\n` +
      `| queue pickup on the idle worker (no-op jobs: commit → lock) | ${idlePickup.count} | ${r1(idlePickup.p50)} | ${r1(idlePickup.p90)} | ${r1(idlePickup.p99)} | ${r1(idlePickup.max)} |\n` +
      `| no-op job run (lock → done) | ${probeRun.length} | ${r1(percentiles(probeRun).p50)} | ${r1(percentiles(probeRun).p90)} | ${r1(percentiles(probeRun).p99)} | ${r1(percentiles(probeRun).max)} |\n\n` +
      `Where the time goes, per incident:\n\n${stageTable}\n\n` +
      `CPU per card: server ${perCard("server")} ms, worker ${perCard("worker")} ms, PostgreSQL ${perCard("postgres backends")} ms, this process (sender and fakes) ${perCard("load generator")} ms; ${describeCpu(foreignDuring)}.\n` +
      `PostgreSQL while sending (the bench database's active backends, sampled every 100 ms): ${waits.activeBackends.toFixed(1)} active on average; ${describeWaits(waits)}.\n` +
      `Notifications in the database: ${JSON.stringify(notificationStatuses)}; incidents ${fmt(incidentsCount)}; jobs retried during the run: ${retried}.\n`,
  );
  if (disturbed(idleBefore, foreignDuring))
    say(
      `WARNING: other work ran on the machine around the measurement (before: ${describeCpu(idleBefore)}; during: ${describeCpu(foreignDuring)}); the figures are not clean.`,
    );
  if (!goals.complete) {
    console.error(
      `\n!!!!!!!!!! ${failedSends.length} webhooks failed, ${missing.length} cards missing (e.g. ${missing.slice(0, 5).join(", ")}), ${duplicates.length} duplicated (e.g. ${duplicates.slice(0, 5).join(", ")}) !!!!!!!!!!\n`,
    );
    if (failedSends[0]) console.error(`first failure: ${failedSends[0].status ?? ""} ${failedSends[0].error ?? ""}`);
    process.exitCode = 3;
  }
  say(
    `Goal (p50 <= 200 ms and p99 <= 1 s at ${rate} alerts/s): ${goals.endToEnd ? "met" : "not met"}; queue pickup p50 <= 10 ms: ${goals.pickup ? "met" : "not met"}.`,
  );
  warnIfRebuilt(build);

  const file = path.join(resultsDir, `notify-${stamp}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        benchmark: "notify",
        startedAt,
        options: { rate, alertsPerGroup, duration, warmup: warmupSeconds, probes: probeCount },
        attempts: attempt,
        build,
        machine,
        speedProbe,
        sending: {
          count: sent.length,
          achievedRate,
          lateness: percentiles(lateness),
          failed: failedSends.length,
          sendingSeconds: (sendingDone - windowStart) / 1000,
        },
        endToEnd: e2e,
        webhook: hook,
        pickup: {
          all: pickupAll,
          plan: percentiles(pickupPlan),
          deliver: percentiles(pickupDeliver),
          idle: idlePickup,
          idleRun: percentiles(probeRun),
        },
        stages: Object.fromEntries(stageNames.map((n) => [n, percentiles(stages[n]!)])),
        cards: { count: cardsForRun, missing, duplicates },
        notificationStatuses,
        incidents: incidentsCount,
        retried,
        idleBefore,
        foreignDuring,
        postgresWaits: waits,
        goals,
        sent,
      },
      null,
      2,
    ),
  );
  say(`Raw results: ${path.relative(root, file)}`);
}

await runBenchmark(main);
