// Benchmark: POST /api/v1/webhooks/alertmanager against the production build. Version-4 payloads of
// 20 alerts over 500 group keys at 32 connections, a realistic mix of re-sends (the dedup path), alerts
// joining a group and alerts resolving; then a check in the database that every alert sent is stored
// exactly once and counted once per delivery. No worker runs: ingestion enqueues the notify jobs, which
// is part of its cost. See bench/README.md.
//
//   npm run build
//   node --import tsx bench/ingest.ts [--groups 500] [--alerts 20] [--connections 32] [--duration 60]
//   (more options: --help)
//
// DATABASE_URL names the PostgreSQL server to use (a database vigil_bench_<pid> is created on it and
// dropped afterwards); without it an embedded PostgreSQL is started in a temporary directory.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Options as LoadOptions, Result as LoadResult } from "autocannon";
import { createDatabaseClient } from "@/db/client";
import { freePort } from "@/db/embedded-postgres";
import { alertFingerprint } from "@/lib/alerts/fingerprint";
import {
  appEnv,
  classifier,
  createBenchDatabaseWithToken,
  describeCpu,
  describeMachine,
  describeWaits,
  disturbed,
  ensureResultsDir,
  fileStamp,
  fmt,
  machineInfo,
  positiveInt,
  readBuild,
  resultsDir,
  root,
  runBenchmark,
  runLoad,
  say,
  sleep,
  startCpuProbe,
  startWaitSampler,
  startWebServer,
  stopProcess,
  waitForIdle,
  warnIfRebuilt,
  type BenchDatabase,
  type CpuSample,
} from "./support";
import { startNextYardstick } from "./next-yardstick";

// ---- Options ----

const usage = `node --import tsx bench/ingest.ts [--groups 500] [--alerts 20] [--connections 32] [--duration 60]
    [--churn 0.1]        share of deliveries that change their group (half: one alert resolves; half: a new one joins)
    [--warmup 10]        seconds of the same load before measuring (not measured)
    [--profile]          write a V8 CPU profile of the server to bench/results/
    [--yardstick]        then the same load against a bare Next.js route handler that only reads and parses
                         the body (bench/next-yardstick.ts): what Next.js alone costs a delivery here
    [--keep-db]          keep the bench database afterwards
    [--wait-idle 900]    seconds to wait for other work on the machine to stop before measuring (0: don't)`;

const { values: args } = parseArgs({
  options: {
    groups: { type: "string", default: "500" },
    alerts: { type: "string", default: "20" },
    connections: { type: "string", default: "32" },
    duration: { type: "string", default: "60" },
    churn: { type: "string", default: "0.1" },
    warmup: { type: "string", default: "10" },
    profile: { type: "boolean", default: false },
    yardstick: { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
    "wait-idle": { type: "string", default: "900" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const groupCount = positiveInt("groups", args.groups);
const alertsPerDelivery = positiveInt("alerts", args.alerts);
const connections = positiveInt("connections", args.connections);
const duration = positiveInt("duration", args.duration);
const warmupSeconds = args.warmup === "0" ? 0 : positiveInt("warmup", args.warmup);
const waitIdleSeconds = args["wait-idle"] === "0" ? 0 : positiveInt("wait-idle", args["wait-idle"]);
const churn = Number(args.churn);
if (!(churn >= 0 && churn < 1)) {
  console.error(`--churn must be at least 0 and below 1 (got ${args.churn})`);
  process.exit(2);
}
if (connections > groupCount) {
  console.error("--connections must not exceed --groups: each connection owns its own groups");
  process.exit(2);
}

// ---- The workload: alert groups as Alertmanager keeps them ----

const alertnames = [
  "HighErrorRate",
  "HighLatencyP99",
  "PodCrashLooping",
  "DiskWillFillIn4h",
  "CPUThrottlingHigh",
  "MemoryPressure",
  "TargetDown",
  "KafkaConsumerLag",
  "CertificateExpiringSoon",
  "ReplicationLag",
];
const serviceNames = [
  "checkout",
  "payments",
  "auth",
  "search",
  "orders",
  "api-gateway",
  "edge",
  "notifications",
  "inventory",
  "recommendations",
  "media",
  "events-ingest",
  "cart",
  "catalog",
  "billing",
  "sessions",
  "orders-db",
  "logging",
  "metrics",
  "kafka",
  "fraud",
  "ledger",
  "profile",
  "shipping",
  "pricing",
];
const teams = ["payments", "identity", "discovery", "commerce", "platform", "content", "data", "observability"];

/** One alert instance as sent: its fingerprint, a stable startsAt, and its firing form already serialised. */
interface SentAlert {
  fingerprint: string;
  startsAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  firingJson: string;
}

type Kind = "create" | "resend" | "join" | "resolve";

/**
 * One webhook delivery. `outcome`: in-flight until answered; ok (2xx); rejected (another status);
 * unknown (no answer: the connection was closed when the run ended, or an error). For rejected and unknown
 * deliveries the database decides afterwards whether the server applied them (`applied`).
 */
interface Delivery {
  kind: Kind;
  firing: SentAlert[];
  resolved: SentAlert | null;
  endsAt: string | null;
  outcome: "in-flight" | "ok" | "rejected" | "unknown";
  status?: number;
  applied?: boolean;
}

interface Group {
  index: number;
  key: string;
  alertname: string;
  service: string;
  severity: string;
  team: string;
  prefix: string;
  suffix: string;
  /** The group's firing alerts as the sender sees them now. */
  current: SentAlert[];
  /** After an alert resolved, the next delivery brings a new one, so that every payload has --alerts alerts. */
  needJoin: boolean;
  nextInstance: number;
  log: Delivery[];
  /** Set when the database disagreed with every possible outcome of this group's deliveries. */
  broken?: string;
}

const started = Date.now();
const groups: Group[] = Array.from({ length: groupCount }, (_, index) => {
  const alertname = alertnames[index % alertnames.length]!;
  const base = serviceNames[Math.floor(index / alertnames.length) % serviceNames.length]!;
  const round = Math.floor(index / (alertnames.length * serviceNames.length));
  const service = round === 0 ? base : `${base}-${round + 1}`;
  const severity = index % 5 === 0 ? "critical" : "warning";
  const team = teams[index % teams.length]!;
  const key = `{}/{severity=~"critical|warning"}:{alertname="${alertname}", service="${service}"}`;
  const commonLabels = { alertname, namespace: "prod", service, severity, team };
  const commonAnnotations = {
    runbook_url: `https://runbooks.example/${alertname}`,
    summary: `${alertname} on ${service}`,
  };
  const group: Group = {
    index,
    key,
    alertname,
    service,
    severity,
    team,
    prefix: '{"receiver":"vigil","status":"firing","alerts":[',
    suffix: `],"groupLabels":${JSON.stringify({ alertname, service })},"commonLabels":${JSON.stringify(commonLabels)},"commonAnnotations":${JSON.stringify(commonAnnotations)},"externalURL":"http://alertmanager:9093","version":"4","groupKey":${JSON.stringify(key)},"truncatedAlerts":0}`,
    current: [],
    needJoin: false,
    nextInstance: 0,
    log: [],
  };
  for (let i = 0; i < alertsPerDelivery; i++)
    group.current.push(newAlert(group, new Date(started - 3_600_000 - Math.floor(Math.random() * 7_200_000))));
  return group;
});

function newAlert(group: Group, startsAt: Date): SentAlert {
  const n = group.nextInstance++;
  const labels = {
    alertname: group.alertname,
    instance: `10.${group.index % 250}.${Math.floor(n / 250) % 250}.${n % 250}:9100`,
    namespace: "prod",
    pod: `${group.service}-7f9c${(group.index * 7919 + n).toString(36)}-${n}`,
    service: group.service,
    severity: group.severity,
    team: group.team,
  };
  const annotations = {
    description: `${group.alertname} on ${labels.instance} for more than 5 minutes`,
    runbook_url: `https://runbooks.example/${group.alertname}`,
    summary: `${group.alertname} on ${group.service}`,
  };
  const fingerprint = alertFingerprint(labels);
  const at = startsAt.toISOString();
  const generatorURL = `http://prometheus:9090/graph?g0.expr=${encodeURIComponent(group.alertname)}`;
  return {
    fingerprint,
    startsAt: at,
    labels,
    annotations,
    firingJson: JSON.stringify({
      status: "firing",
      labels,
      annotations,
      startsAt: at,
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL,
      fingerprint,
    }),
  };
}

/** P(an alert resolves | the group is full) so that about churn/2 of deliveries resolve one and churn/2 bring one. */
const resolveChance = churn / 2 / (1 - churn / 2);

function nextDelivery(group: Group, kind?: Kind): Delivery {
  const now = new Date();
  if (kind === "create")
    return { kind, firing: [...group.current], resolved: null, endsAt: null, outcome: "in-flight" };
  if (group.needJoin) {
    group.needJoin = false;
    group.current.push(newAlert(group, now));
    return { kind: "join", firing: [...group.current], resolved: null, endsAt: null, outcome: "in-flight" };
  }
  if (Math.random() < resolveChance && group.current.length > 1) {
    const [gone] = group.current.splice(Math.floor(Math.random() * group.current.length), 1);
    group.needJoin = true;
    return {
      kind: "resolve",
      firing: [...group.current],
      resolved: gone!,
      endsAt: now.toISOString(),
      outcome: "in-flight",
    };
  }
  return { kind: "resend", firing: [...group.current], resolved: null, endsAt: null, outcome: "in-flight" };
}

function bodyOf(group: Group, d: Delivery): string {
  const parts = d.firing.map((a) => a.firingJson);
  if (d.resolved) {
    const a = d.resolved;
    const generatorURL = `http://prometheus:9090/graph?g0.expr=${encodeURIComponent(group.alertname)}`;
    parts.push(
      JSON.stringify({
        status: "resolved",
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.startsAt,
        endsAt: d.endsAt,
        generatorURL,
        fingerprint: a.fingerprint,
      }),
    );
  }
  return `${group.prefix}${parts.join(",")}${group.suffix}`;
}

const copiesOf = (d: Delivery) => d.firing.length + (d.resolved ? 1 : 0);

// ---- What the database must hold ----

interface ExpectedAlert {
  status: "firing" | "resolved";
  startsAt: string;
  receiveCount: number;
}

/**
 * The alerts the group's one open incident must hold after these deliveries, by the ingestion rules
 * (lib/alerts/ingest-alertmanager-payload.ts): a firing instance not seen before is stored with count 1;
 * every later copy of it, firing or resolved, adds 1; a resolved copy of a firing instance ends it. Each
 * fingerprint keeps one startsAt here, and at least one alert of a group always fires, so the incident
 * never resolves and every instance belongs to it.
 */
function expectedAlerts(log: Delivery[], applied: (d: Delivery) => boolean): Map<string, ExpectedAlert> {
  const state = new Map<string, ExpectedAlert>();
  for (const d of log) {
    if (!applied(d)) continue;
    for (const a of d.firing) {
      const e = state.get(a.fingerprint);
      if (e) e.receiveCount++;
      else state.set(a.fingerprint, { status: "firing", startsAt: a.startsAt, receiveCount: 1 });
    }
    if (d.resolved) {
      const e = state.get(d.resolved.fingerprint);
      if (e) {
        e.receiveCount++;
        e.status = "resolved";
      }
    }
  }
  return state;
}

interface DbAlert {
  fingerprint: string;
  status: "firing" | "resolved";
  startsAt: string;
  receiveCount: number;
}

function sameState(expected: Map<string, ExpectedAlert>, actual: DbAlert[]): string | null {
  if (actual.length !== expected.size) return `${actual.length} alert rows, expected ${expected.size}`;
  for (const a of actual) {
    const e = expected.get(a.fingerprint);
    if (!e) return `unexpected alert ${a.fingerprint}`;
    if (e.status !== a.status || e.receiveCount !== a.receiveCount || e.startsAt !== a.startsAt) {
      return `alert ${a.fingerprint}: ${a.status}/${a.receiveCount}/${a.startsAt}, expected ${e.status}/${e.receiveCount}/${e.startsAt}`;
    }
  }
  return null;
}

interface Reconciliation {
  at: string;
  groupsChecked: number;
  uncertain: number;
  uncertainApplied: number;
  uncertainNotApplied: number;
  problems: string[];
  incidents: number;
  unresolvedIncidents: number;
  alertRows: number;
  expectedAlertRows: number;
  receiveCountSum: number;
  expectedReceiveCountSum: number;
  /** Alert copies in deliveries answered 2xx, plus those of unanswered deliveries the server applied. */
  copiesDelivered2xx: number;
  copiesUncertainApplied: number;
  /** Jobs in graphile-worker's queue (no worker runs in this benchmark). */
  jobsWaiting: number;
}

/**
 * Waits until the bench database has no active query (the server finishes the requests of closed
 * connections too), then compares every group with what it must hold. A delivery without a 2xx answer
 * may or may not have been applied: the one combination of those that matches the database decides.
 */
async function reconcile(bench: BenchDatabase): Promise<Reconciliation> {
  for (const g of groups) for (const d of g.log) if (d.outcome === "in-flight") d.outcome = "unknown";
  const sql = bench.admin;
  // Quiet = no active backend on the bench database in 5 checks in a row, 200 ms apart.
  for (let quiet = 0, waited = 0; quiet < 5 && waited < 30_000; waited += 200) {
    const [row] = await sql<
      { n: number }[]
    >`select count(*)::int as n from pg_stat_activity where datname = ${bench.name} and state <> 'idle' and pid <> pg_backend_pid()`;
    quiet = row!.n === 0 ? quiet + 1 : 0;
    await sleep(200);
  }
  const client = createDatabaseClient(bench.url, { max: 1, applicationName: "vigil-bench-check" });
  try {
    const incidentRows = await client.sql<
      { group_key: string; status: string }[]
    >`select group_key, status from incidents`;
    const alertRows = await client.sql<
      {
        group_key: string;
        fingerprint: string;
        status: "firing" | "resolved";
        starts_at: Date | string;
        receive_count: number;
      }[]
    >`
      select i.group_key, a.fingerprint, a.status, a.starts_at, a.receive_count from alerts a join incidents i on i.id = a.incident_id`;
    const incidentsByKey = new Map<string, string[]>();
    for (const r of incidentRows)
      incidentsByKey.set(r.group_key, [...(incidentsByKey.get(r.group_key) ?? []), r.status]);
    const alertsByKey = new Map<string, DbAlert[]>();
    for (const r of alertRows) {
      const list = alertsByKey.get(r.group_key) ?? [];
      list.push({
        fingerprint: r.fingerprint,
        status: r.status,
        startsAt: new Date(r.starts_at).toISOString(),
        receiveCount: r.receive_count,
      });
      alertsByKey.set(r.group_key, list);
    }
    const report: Reconciliation = {
      at: new Date().toISOString(),
      groupsChecked: 0,
      uncertain: 0,
      uncertainApplied: 0,
      uncertainNotApplied: 0,
      problems: [],
      incidents: incidentRows.length,
      unresolvedIncidents: incidentRows.filter((r) => r.status !== "resolved").length,
      alertRows: alertRows.length,
      expectedAlertRows: 0,
      receiveCountSum: alertRows.reduce((sum, r) => sum + r.receive_count, 0),
      expectedReceiveCountSum: 0,
      copiesDelivered2xx: 0,
      copiesUncertainApplied: 0,
      jobsWaiting: (await client.sql<{ n: number }[]>`select count(*)::int as n from graphile_worker._private_jobs`)[0]!
        .n,
    };
    const known = new Set(groups.map((g) => g.key));
    for (const key of new Set([...incidentsByKey.keys(), ...alertsByKey.keys()]))
      if (!known.has(key)) report.problems.push(`incidents of a group key never sent: ${key}`);
    for (const g of groups) {
      const statuses = incidentsByKey.get(g.key) ?? [];
      const actual = alertsByKey.get(g.key) ?? [];
      if (g.broken) {
        report.problems.push(`group ${g.index}: ${g.broken}`);
        continue;
      }
      report.groupsChecked++;
      const sent = g.log.some((d) => d.outcome === "ok" || d.applied !== false);
      if (sent && (statuses.length !== 1 || statuses[0] === "resolved"))
        report.problems.push(
          `group ${g.index} (${g.key}): incidents ${JSON.stringify(statuses)}, expected exactly one unresolved`,
        );
      const open = g.log.filter(
        (d) => (d.outcome === "rejected" || d.outcome === "unknown") && d.applied === undefined,
      );
      report.uncertain += open.length;
      let match: Map<string, ExpectedAlert> | undefined;
      let why = "";
      if (open.length > 10) why = `${open.length} deliveries without a 2xx answer: too many to tell which were applied`;
      else {
        for (let mask = 0; mask < 1 << open.length && !match; mask++) {
          const chosen = new Set(open.filter((_, i) => mask & (1 << i)));
          const expected = expectedAlerts(g.log, (d) => d.outcome === "ok" || d.applied === true || chosen.has(d));
          const diff = sameState(expected, actual);
          if (diff === null) {
            match = expected;
            for (const d of open) d.applied = chosen.has(d);
          } else if (mask === 0) why = diff;
        }
      }
      if (!match) {
        g.broken = `the database matches no outcome of its deliveries (${why})`;
        report.problems.push(`group ${g.index} (${g.key}): ${g.broken}`);
        continue;
      }
      report.uncertainApplied += open.filter((d) => d.applied).length;
      report.uncertainNotApplied += open.filter((d) => !d.applied).length;
      report.expectedAlertRows += match.size;
      for (const e of match.values()) report.expectedReceiveCountSum += e.receiveCount;
    }
    for (const g of groups) {
      for (const d of g.log) {
        if (d.outcome === "ok") report.copiesDelivered2xx += copiesOf(d);
        else if (d.applied) report.copiesUncertainApplied += copiesOf(d);
      }
    }
    return report;
  } finally {
    await client.close();
  }
}

const describeReconciliation = (r: Reconciliation) =>
  `${r.groupsChecked} groups checked; incidents ${fmt(r.incidents)} (${fmt(r.unresolvedIncidents)} unresolved); alert rows ${fmt(r.alertRows)} (expected ${fmt(r.expectedAlertRows)}); ` +
  `sum of receive_count ${fmt(r.receiveCountSum)} (expected ${fmt(r.expectedReceiveCountSum)}; copies answered 2xx ${fmt(r.copiesDelivered2xx)} + applied without an answer ${fmt(r.copiesUncertainApplied)}); ` +
  `deliveries without a 2xx answer: ${r.uncertain} (${r.uncertainApplied} applied, ${r.uncertainNotApplied} not); problems: ${r.problems.length}`;

// ---- Load ----

const webhookPath = "/api/v1/webhooks/alertmanager";

function kindCounts(from: number[]): Record<Kind, number> {
  const counts: Record<Kind, number> = { create: 0, resend: 0, join: 0, resolve: 0 };
  groups.forEach((g, i) => g.log.slice(from[i]).forEach((d) => counts[d.kind]++));
  return counts;
}

/** autocannon options: connection i sends for the groups i, i + connections, …, one delivery in flight at a time (as Alertmanager does per group). */
function loadOptions(
  base: string,
  headers: Record<string, string>,
  seconds: number,
  title: string,
  urlPath = webhookPath,
): LoadOptions {
  let nextClient = 0;
  return {
    url: `${base}${urlPath}`,
    connections,
    duration: seconds,
    method: "POST",
    headers,
    body: "{}", // replaced per connection below
    title,
    setupClient(client) {
      const index = nextClient++;
      const mine = groups.filter((g) => g.index % connections === index % connections);
      let turn = 0;
      let inFlight: Delivery | undefined;
      client.setRequests([
        {
          method: "POST",
          path: urlPath,
          headers,
          setupRequest(request) {
            // A delivery still unanswered here lost its connection (an error or a timeout).
            if (inFlight?.outcome === "in-flight") inFlight.outcome = "unknown";
            const group = mine[turn++ % mine.length]!;
            const delivery = nextDelivery(group);
            group.log.push(delivery);
            inFlight = delivery;
            return { ...request, body: bodyOf(group, delivery) };
          },
          onResponse(status) {
            if (!inFlight) return;
            inFlight.outcome = status >= 200 && status < 300 ? "ok" : "rejected";
            inFlight.status = status;
            inFlight = undefined;
          },
        },
      ]);
    },
  };
}

interface PgCounters {
  xactCommit: number;
  xactRollback: number;
  tupInserted: number;
  tupUpdated: number;
  walBytes: number;
}

async function pgCounters(bench: BenchDatabase): Promise<PgCounters> {
  // Statistics reach pg_stat_database within about a second of each transaction's end.
  const [row] = await bench.admin<
    { xact_commit: string; xact_rollback: string; tup_inserted: string; tup_updated: string; wal: string }[]
  >`
    select xact_commit, xact_rollback, tup_inserted, tup_updated, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint as wal
    from pg_stat_database where datname = ${bench.name}`;
  return {
    xactCommit: Number(row!.xact_commit),
    xactRollback: Number(row!.xact_rollback),
    tupInserted: Number(row!.tup_inserted),
    tupUpdated: Number(row!.tup_updated),
    walBytes: Number(row!.wal),
  };
}

interface Measurement {
  attempt: number;
  deliveriesPerSec: number;
  alertsPerSec: number;
  responses2xx: number;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mix: Record<Kind, number>;
  idleBefore: CpuSample | null;
  foreignDuring: CpuSample | null;
  /** Per delivery answered: database work (from pg_stat_database; includes the few queries of the check itself). */
  perDelivery: { commits: number; rowsInserted: number; rowsUpdated: number; walBytes: number };
  reconciliation: Reconciliation;
  /** What the bench database's active backends waited for, sampled every 100 ms. */
  postgresWaits: Awaited<ReturnType<ReturnType<typeof startWaitSampler>["finish"]>>;
  raw: LoadResult;
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

  const { bench, token } = await createBenchDatabaseWithToken({ keep: args["keep-db"] });

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = path.join(resultsDir, `ingest-${stamp}.server.log`);
  say(`Starting next start on port ${port} (log: ${path.relative(root, serverLog)})…`);
  const profileFlags = args.profile
    ? ["--cpu-prof", `--cpu-prof-dir=${resultsDir}`, `--cpu-prof-name=ingest-${stamp}.server.cpuprofile`]
    : [];
  const web = await startWebServer({ port, env: appEnv(bench.url, port), logFile: serverLog, nodeFlags: profileFlags });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };

  // 1. Every group's first delivery opens its incident (8 at a time).
  say(`Opening ${groupCount} incidents (first delivery of each group, ${alertsPerDelivery} alerts)…`);
  let nextGroup = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (nextGroup < groups.length) {
        const group = groups[nextGroup++]!;
        const delivery = nextDelivery(group, "create");
        group.log.push(delivery);
        const response = await fetch(`${base}${webhookPath}`, {
          method: "POST",
          headers,
          body: bodyOf(group, delivery),
        });
        const text = await response.text();
        delivery.status = response.status;
        delivery.outcome = response.ok ? "ok" : "rejected";
        if (!response.ok)
          throw new Error(`the first delivery of ${group.key} answered ${response.status}: ${text.slice(0, 500)}`);
        const summary = JSON.parse(text) as { alerts: number; incidents: { created: string[] } };
        if (summary.incidents.created.length !== 1 || summary.alerts !== alertsPerDelivery)
          throw new Error(`unexpected answer to the first delivery of ${group.key}: ${text.slice(0, 500)}`);
      }
    }),
  );
  if (warmupSeconds > 0) {
    say(`Warming up: the same load for ${warmupSeconds} s (not measured)…`);
    await runLoad(loadOptions(base, headers, warmupSeconds, "warm-up"));
  }
  const afterWarmup = await reconcile(bench);
  say(`Check after warm-up: ${describeReconciliation(afterWarmup)}`);
  for (const p of afterWarmup.problems.slice(0, 10)) say(`  PROBLEM: ${p}`);

  // 2. The measurement, on a quiet machine (measured again, at most twice, when other work disturbed it).
  const measurements: Measurement[] = [];
  for (let attempt = 1; ; attempt++) {
    const idleBefore = await waitForIdle(classifier({ server: web.pid }), waitIdleSeconds);
    say(
      `Measuring: ${connections} connections for ${duration} s, ${groupCount} groups × ${alertsPerDelivery} alerts (CPU busy just before: ${describeCpu(idleBefore)})…`,
    );
    const logBefore = groups.map((g) => g.log.length);
    const pgBefore = await pgCounters(bench);
    const probe = startCpuProbe();
    const sampler = startWaitSampler(bench);
    const raw = await runLoad(loadOptions(base, headers, duration, "ingest"));
    const postgresWaits = await sampler.finish();
    const backends = await bench.backends();
    const foreignDuring = probe.finish(classifier({ server: web.pid }, backends));
    const reconciliation = await reconcile(bench);
    await sleep(1200);
    const pgAfter = await pgCounters(bench);
    const seconds = raw.duration;
    const responses2xx = raw["2xx"];
    const m: Measurement = {
      attempt,
      deliveriesPerSec: responses2xx / seconds,
      alertsPerSec: (alertsPerDelivery * responses2xx) / seconds,
      responses2xx,
      seconds,
      p50: raw.latency.p50,
      p90: raw.latency.p90,
      p99: raw.latency.p99,
      max: raw.latency.max,
      mean: raw.latency.average,
      non2xx: raw.non2xx,
      errors: raw.errors,
      timeouts: raw.timeouts,
      mix: kindCounts(logBefore),
      idleBefore,
      foreignDuring,
      perDelivery: {
        commits: (pgAfter.xactCommit - pgBefore.xactCommit) / responses2xx,
        rowsInserted: (pgAfter.tupInserted - pgBefore.tupInserted) / responses2xx,
        rowsUpdated: (pgAfter.tupUpdated - pgBefore.tupUpdated) / responses2xx,
        walBytes: (pgAfter.walBytes - pgBefore.walBytes) / responses2xx,
      },
      reconciliation,
      postgresWaits,
      raw,
    };
    measurements.push(m);
    say(
      `  ${fmt(m.alertsPerSec)} alerts/s (${fmt(m.deliveriesPerSec)} deliveries/s), p50 ${m.p50} ms, p99 ${m.p99} ms, non-2xx ${m.non2xx}, errors ${m.errors}`,
    );
    const perDelivery = Object.entries(foreignDuring?.roles ?? {})
      .map(
        ([role, pct]) =>
          `${role} ${Math.round(pct)}% of a core = ${((pct * 10) / m.deliveriesPerSec).toFixed(2)} ms/delivery`,
      )
      .join(", ");
    say(`  CPU meanwhile: ${perDelivery || "n/a"}; ${describeCpu(foreignDuring)}`);
    say(
      `  PostgreSQL meanwhile: ${postgresWaits.activeBackends.toFixed(1)} backends active on average; ${describeWaits(postgresWaits)}`,
    );
    say(`  Check: ${describeReconciliation(reconciliation)}`);
    for (const p of reconciliation.problems.slice(0, 10)) say(`  PROBLEM: ${p}`);
    if (!disturbed(null, foreignDuring) || attempt >= 3) break;
    say("  other work disturbed this measurement; measuring again (the groups carry on where they are)");
  }

  // 3. The yardstick, when asked: the same deliveries to a bare Next.js handler that only parses them.
  const yardstick = args.yardstick ? await measureNextYardstick(bench.url, headers) : undefined;

  // 4. Report.
  warnIfRebuilt(build);
  const m = measurements.at(-1)!;
  const final = m.reconciliation;
  const jobs = final.jobsWaiting;
  const machine = machineInfo(bench);
  const perDelivery = (role: string) => {
    const pct = m.foreignDuring?.roles[role];
    return pct === undefined ? "–" : ((pct * 10) / m.deliveriesPerSec).toFixed(2);
  };
  const mixTotal = m.mix.resend + m.mix.join + m.mix.resolve;
  const share = (n: number) => `${((100 * n) / Math.max(1, mixTotal)).toFixed(1)}%`;
  const table = [
    "| alerts/s | deliveries/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors | server CPU ms/delivery | postgres CPU ms/delivery | load generator CPU ms/delivery |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${fmt(m.alertsPerSec)} | ${fmt(m.deliveriesPerSec)} | ${m.p50} | ${m.p90} | ${m.p99} | ${m.max} | ${m.non2xx} | ${m.errors} | ${perDelivery("server")} | ${perDelivery("postgres backends")} | ${perDelivery("load generator")} |`,
  ].join("\n");
  const verified =
    final.problems.length === 0 &&
    final.alertRows === final.expectedAlertRows &&
    final.receiveCountSum === final.expectedReceiveCountSum &&
    final.unresolvedIncidents === groupCount &&
    final.incidents === groupCount;
  console.log(
    `\n### POST ${webhookPath}: ${groupCount} groups × ${alertsPerDelivery} alerts, ${connections} connections, ${duration} s, ${startedAt.toISOString()}\n` +
      `${describeMachine(machine)}; build ${build.id} (${build.builtAt})\n\n${table}\n\n` +
      `Deliveries measured: ${fmt(mixTotal)}: re-sends ${share(m.mix.resend)}, an alert joining ${share(m.mix.join)}, an alert resolving ${share(m.mix.resolve)}. ` +
      `Per delivery: ${m.perDelivery.commits.toFixed(2)} commits, ${m.perDelivery.rowsInserted.toFixed(1)} rows inserted, ${m.perDelivery.rowsUpdated.toFixed(1)} rows updated, ${fmt(m.perDelivery.walBytes)} bytes of WAL. ` +
      `notify jobs waiting (no worker ran): ${fmt(jobs)}.\n` +
      `PostgreSQL (the bench database's active backends, sampled every 100 ms): ${m.postgresWaits.activeBackends.toFixed(1)} active on average; ${describeWaits(m.postgresWaits)}.\n\n` +
      `Database check: ${verified ? "OK" : "FAILED"}. ${describeReconciliation(final)}\n` +
      (yardstick
        ? `\nThe bare Next.js yardstick, same deliveries: ${fmt(yardstick.deliveriesPerSec)} deliveries/s (${fmt(alertsPerDelivery * yardstick.deliveriesPerSec)} alerts/s), ` +
          `p50 ${yardstick.p50} ms, p99 ${yardstick.p99} ms, its server ${yardstick.serverMsPerDelivery?.toFixed(2) ?? "–"} ms of CPU a delivery ` +
          `(Vigil's web server: ${perDelivery("server")}).\n`
        : ""),
  );
  if (disturbed(m.idleBefore, m.foreignDuring))
    say(
      `WARNING: other work ran on the machine around the measurement (before: ${describeCpu(m.idleBefore)}; during: ${describeCpu(m.foreignDuring)}); the figures are not clean.`,
    );
  if (!verified) {
    console.error(
      `\n!!!!!!!!!! DATABASE CHECK FAILED: alerts lost or doubled, or incidents wrong. First problems:\n${final.problems.slice(0, 20).join("\n")}\n`,
    );
    process.exitCode = 4;
  } else if (m.non2xx > 0 || m.errors > 0 || m.timeouts > 0) {
    console.error(
      `\n!!!!!!!!!! WARNING: ${m.non2xx} non-2xx, ${m.errors} errors, ${m.timeouts} timeouts: these figures are NOT valid !!!!!!!!!!\n`,
    );
    process.exitCode = 3;
  }
  const goalMet = m.alertsPerSec >= 2000 && m.p99 <= 250;
  say(`Goal (>= 2,000 alerts/s with p99 <= 250 ms): ${goalMet ? "met" : "not met"}.`);

  const file = path.join(resultsDir, `ingest-${stamp}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        benchmark: "ingest",
        startedAt,
        options: { groups: groupCount, alerts: alertsPerDelivery, connections, duration, churn, warmup: warmupSeconds },
        build,
        machine,
        notifyJobsWaiting: jobs,
        afterWarmup,
        measurements,
        yardstick,
        verified,
        goalMet,
      },
      null,
      2,
    ),
  );
  say(`Raw results: ${path.relative(root, file)}`);
}

/**
 * The bare Next.js app (bench/next-yardstick.ts) under the same load: its POST route only parses each body.
 * Run after the last check: the groups' logs grow with these deliveries, but nothing reads them again.
 */
async function measureNextYardstick(databaseUrl: string, headers: Record<string, string>) {
  const port = await freePort();
  const bare = await startNextYardstick("{}", port, appEnv(databaseUrl, port));
  const base = new URL(bare.alertsUrl).origin;
  const alertsPath = new URL(bare.alertsUrl).pathname;
  say(`The bare Next.js yardstick: ${connections} connections for ${duration} s, after ${warmupSeconds} s of warm-up…`);
  if (warmupSeconds > 0) await runLoad(loadOptions(base, headers, warmupSeconds, "yardstick warm-up", alertsPath));
  const probe = startCpuProbe();
  const raw = await runLoad(loadOptions(base, headers, duration, "yardstick", alertsPath));
  const cpu = probe.finish(classifier({ server: bare.server.pid }));
  await stopProcess(bare.server);
  const deliveriesPerSec = raw["2xx"] / raw.duration;
  const serverPct = cpu?.roles.server;
  const result = {
    deliveriesPerSec,
    p50: raw.latency.p50,
    p99: raw.latency.p99,
    non2xx: raw.non2xx,
    errors: raw.errors,
    serverMsPerDelivery: serverPct === undefined ? undefined : (serverPct * 10) / deliveriesPerSec,
    cpu,
  };
  say(
    `  ${fmt(deliveriesPerSec)} deliveries/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}; CPU: ${describeCpu(cpu)}`,
  );
  return result;
}

await runBenchmark(main);
