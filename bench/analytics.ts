// Benchmark: the analytics endpoints (summary, trends, distribution, noise, notifications, remediation)
// over a 90-day range, against the production build, on a fresh database seeded with N incidents over a
// year, their alerts and their delivery log. Goal from the issue: p95 ≤ 300 ms at 1M incidents. See
// bench/README.md.
//
//   npm run build
//   npm run bench:analytics -- [--incidents 1000000] [--requests 40] [--days 90]
//   (more options: --help)
//
// DATABASE_URL names the PostgreSQL server to use (a database vigil_bench_<pid> is created on it and
// dropped afterwards); without it an embedded PostgreSQL is started in a temporary directory.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { createDatabaseClient, schema } from "@/db/client";
import { freePort } from "@/db/embedded-postgres";
import { getAlertNoise } from "@/lib/analytics/get-alert-noise";
import { getAnalyticsSummary } from "@/lib/analytics/get-analytics-summary";
import { getDurationDistribution } from "@/lib/analytics/get-duration-distribution";
import { getDurationTrends } from "@/lib/analytics/get-duration-trends";
import { getNotificationVolume } from "@/lib/analytics/get-notification-volume";
import { percentile } from "@/lib/analytics/duration-stats";
import { ensureBootstrapToken } from "@/lib/auth/api-tokens";
import { systemActor, type Ctx } from "@/lib/context";
import { readQuery } from "@/lib/http/request";
import {
  appEnv,
  classifier,
  createBenchDatabase,
  onCleanup,
  sleep,
  startDetached,
  type BenchDatabase,
  describeCpu,
  describeMachine,
  disturbed,
  ensureResultsDir,
  fileStamp,
  machineInfo,
  newToken,
  positiveInt,
  readBuild,
  resultsDir,
  root,
  runBenchmark,
  say,
  startCpuProbe,
  startWebServer,
  stopProcess,
  waitForIdle,
  warnIfRebuilt,
  type CpuSample,
  services,
  sqlArray,
} from "./support";

// ---- Options ----

const usage = `node --import tsx bench/analytics.ts [--incidents 1000000] [--requests 40] [--days 90]
    [--explain]          print the full EXPLAIN (ANALYZE, BUFFERS) of every query the endpoints run
    [--setup-sql "…"]    run this SQL after seeding (to try an index, say)
    [--seed-only]        seed, print the plans, keep the database and stop (for EXPLAIN work in psql)
    [--keep-db]          keep the bench database afterwards
    [--wait-idle 900]    seconds to wait for other work on the machine to stop before each measurement (0: don't)
    [--cache-ttl 0s]     the server's ANALYTICS_CACHE_TTL while computing: 0s (default) measures the queries themselves
    [--served-seconds 150]  then, as the page asks (range=<days>d, answers stored, ANALYTICS_CACHE_TTL=60s, the
                         worker running and refreshing them): requests round-robin for this long (0: skip)
    [--served-only]      skip the computed measurements (seed, then the served phase only)`;

const { values: args } = parseArgs({
  options: {
    incidents: { type: "string", default: "1000000" },
    requests: { type: "string", default: "40" },
    days: { type: "string", default: "90" },
    explain: { type: "boolean", default: false },
    "setup-sql": { type: "string" },
    "seed-only": { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
    "wait-idle": { type: "string", default: "900" },
    "cache-ttl": { type: "string", default: "0s" },
    "served-seconds": { type: "string", default: "150" },
    "served-only": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const incidentCount = positiveInt("incidents", args.incidents);
const requestCount = positiveInt("requests", args.requests);
const rangeDays = positiveInt("days", args.days);
const waitIdleSeconds = args["wait-idle"] === "0" ? 0 : positiveInt("wait-idle", args["wait-idle"]);
const servedSeconds = args["served-seconds"] === "0" ? 0 : positiveInt("served-seconds", args["served-seconds"]);
/** ANALYTICS_CACHE_TTL in the served phase: the default. The worker refreshes answers half of it old. */
const SERVED_TTL_MS = 60_000;
const GOAL_P95_MS = 300;

// ---- Seed data ----

const alertnames = [
  "HighErrorRate",
  "HighLatency",
  "ServiceDown",
  "PodCrashLooping",
  "DiskFillingUp",
  "CPUThrottlingHigh",
  "KafkaConsumerLag",
  "CertificateExpiring",
  "MemoryPressure",
  "SyntheticCheckFailing",
  "QueueBacklog",
  "ReplicationLag",
];

/**
 * Incidents, one statement. Per row: severity P0 1% / P1 4% / P2 10% / P3 35% / P4 50%; status resolved
 * 95% / open 2% / acknowledged 1.5% / investigating 1.5%; a service (skewed: the first gets ~16%) and its
 * team; created_at rising with the row across the last 365 days. 80% come from alerts: a group key of
 * alertname (skewed over 12) × service × one of 20 shards (unresolved ones get a group of their own: one
 * open incident per group), detected 0–10 min before creation; the rest are declared. Acknowledged
 * 30 s – 30 min after creation (10% of resolved ones never), resolved 5 min – 8 h after (skewed short);
 * 4% of resolved alert incidents reopened 1–4 times; 5% of resolved ones false positives; 1% drills
 * (excluded from metrics).
 */
const seedIncidentsSql = `
insert into incidents (title, severity, status, service, team, group_key, labels, detected_at, created_at, updated_at,
                       acknowledged_at, resolved_at, auto_resolved, reopened_count, false_positive, false_positive_reason, exclude_from_metrics)
select case when from_alerts then alertname || ' on ' || svc else 'Declared: ' || svc || ' degraded' end,
       sev::incident_severity, st::incident_status, svc, (${sqlArray(services.map(([, team]) => team))})[svc_i],
       case when not from_alerts then null
            when st = 'resolved' then format('{}:{alertname="%s", service="%s", shard="%s"}', alertname, svc, shard)
            else format('{}:{alertname="%s", service="%s", incident="%s"}', alertname, svc, g) end,
       case when from_alerts then jsonb_build_object('alertname', alertname, 'service', svc) else '{}'::jsonb end,
       created - case when from_alerts then r_detect * interval '10 minutes' else interval '0' end,
       created, coalesce(resolved, acked, created), acked, resolved,
       from_alerts and resolved is not null and r_auto < 0.5,
       case when from_alerts and resolved is not null and r_reopen < 0.04 then 1 + floor(r_reopen * 100)::int else 0 end,
       resolved is not null and r_fp < 0.05,
       case when resolved is not null and r_fp < 0.05 then 'Threshold too tight for the nightly batch' end,
       r_excl < 0.01
from (
  select *, (${sqlArray(services.map(([service]) => service))})[svc_i] as svc,
         (${sqlArray(alertnames)})[1 + least(floor(${alertnames.length} * r_alert * r_alert)::int, ${alertnames.length - 1})] as alertname,
         floor(r_shard * 20)::int as shard,
         case when st = 'open' or (st = 'resolved' and r_ack < 0.1) then null
              else created + (30 + r_ack * 1770) * interval '1 second' end as acked,
         case when st = 'resolved' then created + (300 + r_res * r_res * 28500) * interval '1 second' end as resolved
  from (
    select *,
           case when r_sev < 0.01 then 'P0' when r_sev < 0.05 then 'P1' when r_sev < 0.15 then 'P2'
                when r_sev < 0.50 then 'P3' else 'P4' end as sev,
           case when r_st < 0.02 then 'open' when r_st < 0.035 then 'acknowledged'
                when r_st < 0.05 then 'investigating' else 'resolved' end as st,
           1 + least(floor(${services.length} * r_svc * r_svc)::int, ${services.length - 1}) as svc_i,
           r_src < 0.8 as from_alerts,
           now() - interval '365 days' * ((n - g + r_created) / n) as created
    from (
      select g, $1::int::float8 as n, random() as r_sev, random() as r_st, random() as r_svc, random() as r_src,
             random() as r_alert, random() as r_shard, random() as r_detect, random() as r_ack, random() as r_res,
             random() as r_auto, random() as r_reopen, random() as r_fp, random() as r_excl, random() as r_created
      from generate_series(1, $1::int) as g
      offset 0
    ) raw
  ) picked
) derived
order by g`;

/** 1–4 alerts per alert-made incident (skewed to 1; ~1.9 on average), firing while the incident is unresolved. */
const seedAlertsSql = `
insert into alerts (incident_id, fingerprint, status, labels, annotations, starts_at, ends_at, generator_url,
                    first_received_at, last_received_at, receive_count)
select i.id, substr(md5(i.id::text || k), 1, 16),
       (case when i.resolved_at is null then 'firing' else 'resolved' end)::alert_status,
       i.labels || jsonb_build_object('instance', 'pod-' || k, 'severity', 'critical'),
       jsonb_build_object('summary', i.title),
       i.detected_at, i.resolved_at,
       'http://prometheus:9090/graph?g0.expr=ALERTS%7Balertname%3D%22' || (i.labels ->> 'alertname') || '%22%7D&g0.tab=1',
       i.created_at, coalesce(i.resolved_at, i.created_at), k
from incidents i
cross join lateral generate_series(1, 1 + floor(4 * power(random() + i.number * 0, 2))::int) as k
where i.group_key is not null`;

/**
 * The delivery log: P0/P1 4 messages (PagerDuty and Slack, open and update), P2 3 (Slack twice, email),
 * P3 2 (Slack, email), P4 1 (Slack); ~1.7 per incident. 3% failed after 8 attempts, 1% of the last
 * week's still pending, the rest sent after 1–3 attempts.
 */
const seedNotificationsSql = `
insert into notifications (incident_id, timeline_event_id, purpose, channel, target, is_fallback, status, attempts, max_attempts,
                           last_error, created_at, updated_at, sent_at)
select id, number::bigint * 10 + k, case when k <= 2 then 'open' else 'update' end, channel::notification_channel,
       channel || ':default', channel = 'email' and severity in ('P0', 'P1'),
       st::notification_status, case st when 'failed' then 8 when 'sent' then 1 + floor(r * r * 3)::int else 0 end, 8,
       case when st = 'failed' then '503 Service Unavailable' end,
       created_at + k * interval '1 second', created_at + k * interval '1 second',
       case when st = 'sent' then created_at + k * interval '2 seconds' end
from (
  select i.id, i.number, i.severity, i.created_at, k, r,
         case when i.severity in ('P0', 'P1') then (array['pagerduty', 'slack', 'pagerduty', 'slack'])[k]
              when i.severity = 'P2' then (array['slack', 'slack', 'email'])[k]
              when i.severity = 'P3' then (array['slack', 'email'])[k] else 'slack' end as channel,
         case when r < 0.03 then 'failed' when r < 0.04 and i.created_at > now() - interval '7 days' then 'pending' else 'sent' end as st
  from incidents i
  cross join lateral generate_series(1, case i.severity when 'P0' then 4 when 'P1' then 4 when 'P2' then 3 when 'P3' then 2 else 1 end) as k
  cross join lateral (select random() + k * 0 as r) rnd
) m`;

// ---- What the benchmark drives ----

interface Scenario {
  name: string;
  path: string;
}

/** The endpoints over one range: `from=…&to=…` (computed), or `range=90d` (the page's rolling presets). */
function scenarios(range: string): Scenario[] {
  return [
    { name: "summary by severity", path: `/api/v1/analytics/summary?${range}&group_by=severity` },
    { name: "summary by service", path: `/api/v1/analytics/summary?${range}&group_by=service` },
    { name: "summary by team", path: `/api/v1/analytics/summary?${range}&group_by=team` },
    { name: "trends by day and severity", path: `/api/v1/analytics/trends?${range}&bucket=day&group_by=severity` },
    { name: "trends by week, top 10 services", path: `/api/v1/analytics/trends?${range}&bucket=week&group_by=service` },
    { name: "distribution", path: `/api/v1/analytics/distribution?${range}` },
    { name: "noise", path: `/api/v1/analytics/noise?${range}` },
    { name: "notifications", path: `/api/v1/analytics/notifications?${range}` },
    { name: "remediation", path: `/api/v1/analytics/remediation?${range}` },
  ];
}

/** What the /analytics page asks for at once (its panels load in parallel). */
const pageScenarios = [
  "summary by severity",
  "trends by day and severity",
  "distribution",
  "noise",
  "notifications",
  "remediation",
];

interface Measurement {
  name: string;
  requests: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  failures: number;
  bytes: number;
  idleBefore: CpuSample | null;
  foreignDuring: CpuSample | null;
  attempts: number;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const stamp = fileStamp(startedAt);
  ensureResultsDir();

  const build = args["seed-only"] ? null : readBuild();
  if (!build && !args["seed-only"]) {
    process.exitCode = 1;
    return;
  }
  if (build) say(`Production build ${build.id} from ${build.builtAt}.`);

  // 1. A fresh database.
  const bench = await createBenchDatabase({ keep: args["keep-db"] || args["seed-only"] });

  // 2. Seed, analyze, token.
  const client = createDatabaseClient(bench.url, { max: 1, applicationName: "vigil-bench" });
  const token = newToken();
  const seeding: Record<string, number> = {};
  const counts: Record<string, number> = {};
  const to = new Date();
  const from = new Date(to.getTime() - rangeDays * 86_400_000);
  try {
    for (const [table, statement] of [
      ["incidents", seedIncidentsSql],
      ["alerts", seedAlertsSql],
      ["notifications", seedNotificationsSql],
    ] as const) {
      say(`seeding ${table}…`);
      const started = performance.now();
      await client.sql.unsafe(statement, table === "incidents" ? [incidentCount] : []);
      seeding[table] = (performance.now() - started) / 1000;
      say(`  ${table} in ${seeding[table].toFixed(1)} s`);
    }
    // VACUUM as well as ANALYZE: hint bits and the visibility map are set now (index-only scans rely on
    // the latter), so neither the first requests nor an autovacuum run during the measurement. The
    // alerts trigger filled incident_alertnames meanwhile.
    const started = performance.now();
    await client.sql`vacuum (analyze) incidents, alerts, notifications, incident_alertnames`;
    seeding.vacuum = (performance.now() - started) / 1000;
    say(`vacuum analyze in ${seeding.vacuum.toFixed(1)} s`);
    await ensureBootstrapToken(client.db, token, new Date());
    if (args["setup-sql"]) {
      say(`setup SQL: ${args["setup-sql"]}`);
      await client.sql.unsafe(args["setup-sql"]);
      await client.sql`vacuum (analyze) incidents, alerts, notifications, incident_alertnames`;
    }
    const [row] = await client.sql<{ incidents: number; in_range: number; alerts: number; notifications: number }[]>`
      select (select count(*) from incidents)::int as incidents,
             (select count(*) from incidents where created_at >= ${from.toISOString()}::timestamptz)::int as in_range,
             (select count(*) from alerts)::int as alerts, (select count(*) from notifications)::int as notifications`;
    Object.assign(counts, row);
    say(
      `data: ${fmtInt(counts.incidents!)} incidents (${fmtInt(counts.in_range!)} in the last ${rangeDays} days), ${fmtInt(counts.alerts!)} alerts, ${fmtInt(counts.notifications!)} notifications`,
    );
  } finally {
    await client.close();
  }

  const cases = scenarios(`from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
  const plans = await explainQueries(bench.url, from, to);
  for (const p of plans) {
    say(`plan ${p.name}: ${p.summary}`);
    if (args.explain || args["seed-only"]) console.log(`${p.sql}\n-- params: ${JSON.stringify(p.params)}\n${p.text}\n`);
  }
  if (args["seed-only"] || !build) {
    say(`--seed-only: database ${bench.name} kept (${bench.url})`);
    return;
  }

  // 3. The built app.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = path.join(resultsDir, `analytics-${stamp}.server.log`);
  say(`Starting next start on port ${port} (log: ${path.relative(root, serverLog)})…`);
  // The answers cache (ANALYTICS_CACHE_TTL) is off unless asked for: repeats would measure memory.
  const web = await startWebServer({
    port,
    env: appEnv(bench.url, port, { ANALYTICS_CACHE_TTL: args["cache-ttl"] }),
    logFile: serverLog,
  });
  const headers = { authorization: `Bearer ${token}` };
  for (const c of cases) {
    const response = await fetch(`${base}${c.path}`, { headers });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET ${c.path} answered ${response.status}: ${body.slice(0, 500)}`);
    say(`check ${c.name}: 200, ${fmtInt(Buffer.byteLength(body))} bytes`);
  }

  // 4. Each endpoint alone (one request at a time: a person opening the page), then the page's batch.
  const measurements: Measurement[] = [];
  if (!args["served-only"]) {
    for (const c of cases) {
      measurements.push(await measure(c.name, web.pid!, bench.backends, () => timed(base, [c.path], headers)));
    }
    const pagePaths = cases.filter((c) => pageScenarios.includes(c.name)).map((c) => c.path);
    measurements.push(
      await measure("page: 6 panels at once", web.pid!, bench.backends, () => timed(base, pagePaths, headers)),
    );
  }
  await stopProcess(web);

  // 5. As the page asks: rolling ranges, from the answer store the worker keeps fresh.
  const served = servedSeconds > 0 ? await measureServed(bench, token, stamp) : null;

  // 6. Report.
  warnIfRebuilt(build);
  const machine = machineInfo(bench);
  const table =
    measurements.length === 0
      ? "(computed figures skipped: --served-only)"
      : [
          `| scenario | requests | mean ms | p50 ms | p95 ms | p99 ms | max ms | failures | bytes | goal p95 ≤ ${GOAL_P95_MS} ms |`,
          `|---|---:|---:|---:|---:|---:|---:|---:|---:|---|`,
          ...measurements.map(
            (m) =>
              `| ${m.name} | ${m.requests} | ${m.mean.toFixed(1)} | ${m.p50.toFixed(1)} | ${m.p95.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.max.toFixed(1)} | ${m.failures} | ${fmtInt(m.bytes)} | ${m.p95 <= GOAL_P95_MS ? "met" : "NOT met"} |`,
          ),
        ].join("\n");
  console.log(
    `\n### Analytics, ${rangeDays}-day range — ${fmtInt(counts.incidents!)} incidents (${fmtInt(counts.in_range!)} in range), ${fmtInt(counts.alerts!)} alerts, ${fmtInt(counts.notifications!)} notifications — ${startedAt.toISOString()}\n` +
      `${describeMachine(machine)}; build ${build.id} (${build.builtAt}); seeding ${Object.entries(seeding)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(", ")}\n\n${table}\n`,
  );
  if (served) {
    console.log(
      `\n### As the page asks: range=${rangeDays}d from the answer store (ANALYTICS_CACHE_TTL=${SERVED_TTL_MS / 1000}s, worker refreshing), ${servedSeconds} s, requests one after another\n` +
        `First asks (computed and stored): ${served.firstAsks.map((f) => `${f.name} ${f.ms.toFixed(0)} ms`).join(", ")}\n` +
        `CPU during the phase: ${describeCpu(served.cpu)}; worker refreshes logged: ${served.refreshRuns}\n\n` +
        [
          `| scenario | requests | p50 ms | p95 ms | p99 ms | max ms | oldest answer s | failures | goal p95 ≤ ${GOAL_P95_MS} ms |`,
          `|---|---:|---:|---:|---:|---:|---:|---:|---|`,
          ...served.measurements.map(
            (m) =>
              `| ${m.name} | ${m.requests} | ${m.p50.toFixed(1)} | ${m.p95.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.max.toFixed(1)} | ${(m.oldestAnswerMs / 1000).toFixed(1)} | ${m.failures} | ${m.p95 <= GOAL_P95_MS ? "met" : "NOT met"} |`,
          ),
        ].join("\n") +
        "\n",
    );
    if (served.measurements.some((m) => m.failures > 0)) process.exitCode = 3;
    if (served.measurements.some((m) => m.oldestAnswerMs > SERVED_TTL_MS + 5_000)) {
      console.error(`\n!!!!!!!!!! WARNING: an answer older than ANALYTICS_CACHE_TTL was served !!!!!!!!!!\n`);
      process.exitCode = 3;
    }
  }
  const busy = measurements.filter((m) => disturbed(m.idleBefore, m.foreignDuring));
  if (busy.length)
    say(
      `WARNING: other work ran on the machine during ${busy.map((m) => m.name).join(", ")}; those figures are not clean.`,
    );
  const failed = measurements.filter((m) => m.failures > 0);
  if (failed.length) {
    console.error(
      `\n!!!!!!!!!! WARNING: failed requests in ${failed.map((m) => m.name).join(", ")} — these figures are NOT valid !!!!!!!!!!\n`,
    );
    process.exitCode = 3;
  }
  const file = path.join(resultsDir, `analytics-${stamp}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        benchmark: "analytics",
        startedAt,
        options: {
          incidents: incidentCount,
          requests: requestCount,
          days: rangeDays,
          setupSql: args["setup-sql"] ?? null,
          servedSeconds,
        },
        build,
        machine,
        counts,
        seeding,
        scenarios: cases,
        measurements,
        served,
        plans,
      },
      null,
      2,
    ),
  );
  say(`Raw results: ${path.relative(root, file)}`);
}

const fmtInt = (n: number) => n.toLocaleString("en-US");

interface ServedMeasurement {
  name: string;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  failures: number;
  /** The oldest answer served: the request's time minus the `to` its rolling range ended at. */
  oldestAnswerMs: number;
}

/**
 * The production setup for the page: ANALYTICS_CACHE_TTL=60s, the worker running (it refreshes the stored
 * answers asked for lately once they are 30 s old), and the page's rolling range (`range=90d`). After a first ask of
 * each endpoint (computed and stored, what the first visitor pays), requests go one after another,
 * round-robin, for --served-seconds: several refresh cycles, whose work competes for the same two cores.
 */
async function measureServed(bench: BenchDatabase, token: string, stamp: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = appEnv(bench.url, port, {
    ANALYTICS_CACHE_TTL: `${SERVED_TTL_MS / 1000}s`,
    WORKER_METRICS_PORT: "0",
    LOG_LEVEL: "debug",
  });
  const serverLog = path.join(resultsDir, `analytics-${stamp}.served-server.log`);
  const workerLog = path.join(resultsDir, `analytics-${stamp}.worker.log`);
  say(
    `Served phase: next start on port ${port} with ANALYTICS_CACHE_TTL=${SERVED_TTL_MS / 1000}s and the worker (log: ${path.relative(root, workerLog)})…`,
  );
  const web = await startWebServer({ port, env: { ...env, LOG_LEVEL: "warn" }, logFile: serverLog });
  const worker = startDetached(
    process.execPath,
    ["--import", "tsx", path.join(root, "worker/index.ts")],
    env,
    workerLog,
  );
  onCleanup(() => stopProcess(worker));
  const headers = { authorization: `Bearer ${token}` };
  const rolling = scenarios(`range=${rangeDays}d`);
  try {
    const firstAsks: { name: string; ms: number }[] = [];
    for (const c of rolling) {
      const { ms, failures } = await timed(base, [c.path], headers);
      if (failures) throw new Error(`GET ${c.path} failed`);
      firstAsks.push({ name: c.name, ms });
    }
    const ours = classifier({ server: web.pid!, worker: worker.pid! }, await bench.backends());
    await waitForIdle(ours, waitIdleSeconds);
    say(`Measuring the served phase for ${servedSeconds} s…`);
    const probe = startCpuProbe();
    const samples = new Map<string, { ms: number[]; failures: number; oldest: number }>(
      rolling.map((c) => [c.name, { ms: [], failures: 0, oldest: 0 }]),
    );
    const deadline = Date.now() + servedSeconds * 1000;
    while (Date.now() < deadline) {
      for (const c of rolling) {
        const sample = samples.get(c.name)!;
        const askedAt = Date.now();
        const started = performance.now();
        const response = await fetch(`${base}${c.path}`, { headers, signal: AbortSignal.timeout(30_000) });
        const body = (await response.json().catch(() => null)) as { to?: string } | null;
        sample.ms.push(performance.now() - started);
        if (response.status !== 200 || !body?.to) sample.failures++;
        else sample.oldest = Math.max(sample.oldest, askedAt - Date.parse(body.to));
        await sleep(50);
      }
    }
    const cpu = probe.finish(classifier({ server: web.pid!, worker: worker.pid! }, await bench.backends()));
    const measurements: ServedMeasurement[] = [...samples].map(([name, s]) => {
      const sorted = s.ms.sort((a, b) => a - b);
      return {
        name,
        requests: sorted.length,
        p50: percentile(sorted, 0.5)!,
        p95: percentile(sorted, 0.95)!,
        p99: percentile(sorted, 0.99)!,
        max: sorted.at(-1)!,
        failures: s.failures,
        oldestAnswerMs: s.oldest,
      };
    });
    const refreshRuns = (readFileSync(workerLog, "utf8").match(/analytics answers refreshed/g) ?? []).length;
    return { firstAsks, measurements, cpu, refreshRuns };
  } finally {
    await stopProcess(worker);
    await stopProcess(web);
  }
}

/** One sample: the given requests sent at once; the time until the last one answered, and failures. */
async function timed(
  base: string,
  paths: string[],
  headers: Record<string, string>,
): Promise<{ ms: number; failures: number; bytes: number }> {
  const started = performance.now();
  const results = await Promise.all(
    paths.map(async (p) => {
      const response = await fetch(`${base}${p}`, { headers, signal: AbortSignal.timeout(30_000) });
      return { ok: response.status === 200, bytes: (await response.arrayBuffer()).byteLength };
    }),
  );
  return {
    ms: performance.now() - started,
    failures: results.filter((r) => !r.ok).length,
    bytes: results.reduce((sum, r) => sum + r.bytes, 0),
  };
}

/**
 * --requests samples, one after the other, after three to warm up, on a quiet machine: waits (up to
 * --wait-idle) until nothing else uses the CPU, and measures again (twice at most) when something did.
 */
async function measure(
  name: string,
  serverGroup: number,
  backends: () => Promise<Set<number>>,
  sample: () => Promise<{ ms: number; failures: number; bytes: number }>,
): Promise<Measurement> {
  for (let attempt = 1; ; attempt++) {
    for (let i = 0; i < 3; i++) await sample();
    const idleBefore = await waitForIdle(classifier({ server: serverGroup }), waitIdleSeconds);
    say(`Measuring ${name}: ${requestCount} samples (CPU busy just before: ${describeCpu(idleBefore)})…`);
    const probe = startCpuProbe();
    const samples: { ms: number; failures: number; bytes: number }[] = [];
    for (let i = 0; i < requestCount; i++) samples.push(await sample());
    const foreignDuring = probe.finish(classifier({ server: serverGroup }, await backends()));
    const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
    const m: Measurement = {
      name,
      requests: samples.length,
      mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
      p50: percentile(sorted, 0.5)!,
      p95: percentile(sorted, 0.95)!,
      p99: percentile(sorted, 0.99)!,
      max: sorted.at(-1)!,
      failures: samples.reduce((sum, s) => sum + s.failures, 0),
      bytes: samples[0]?.bytes ?? 0,
      idleBefore,
      foreignDuring,
      attempts: attempt,
    };
    say(
      `  p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, max ${m.max.toFixed(1)} ms, failures ${m.failures}; ${describeCpu(foreignDuring)}`,
    );
    if (!disturbed(null, foreignDuring) || attempt >= 3) return m;
    say("  other work disturbed this measurement; measuring again");
  }
}

// ---- Plans ----

interface Plan {
  name: string;
  sql: string;
  params: unknown[];
  summary: string;
  text: string;
}

/** EXPLAIN (ANALYZE, BUFFERS) of exactly the SQL each endpoint runs, captured through drizzle's logger. */
async function explainQueries(databaseUrl: string, from: Date, to: Date): Promise<Plan[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const captured: { query: string; params: unknown[] }[] = [];
    const db = drizzle(sql, {
      schema,
      casing: "snake_case",
      logger: { logQuery: (query, params) => captured.push({ query, params }) },
    });
    const ctx: Ctx = { db, actor: systemActor("bench"), now: to };
    const query = (q: string) =>
      readQuery(new Request(`http://bench/?from=${from.toISOString()}&to=${to.toISOString()}&${q}`));
    const statements: { name: string; query: string; params: unknown[] }[] = [];
    const capture = async (name: string, run: () => Promise<unknown>) => {
      captured.length = 0;
      await run();
      // runAnalyticsQuery's set_config before each statement is not worth a plan.
      const queries = captured.filter((c) => !c.query.includes("set_config("));
      queries.forEach((c, i) => statements.push({ name: queries.length > 1 ? `${name} #${i + 1}` : name, ...c }));
    };
    await capture("summary by severity", () => getAnalyticsSummary({ ctx, input: query("group_by=severity") }));
    await capture("summary by service", () => getAnalyticsSummary({ ctx, input: query("group_by=service") }));
    await capture("trends by day and severity", () => getDurationTrends({ ctx, input: query("bucket=day") }));
    await capture("trends by week, top 10 services", () =>
      getDurationTrends({ ctx, input: query("bucket=week&group_by=service") }),
    );
    await capture("distribution", () => getDurationDistribution({ ctx, input: query("") }));
    await capture("noise", () => getAlertNoise({ ctx, input: query("") }));
    await capture("notifications", () => getNotificationVolume({ ctx, input: query("") }));

    const plans: Plan[] = [];
    for (const s of statements) {
      const rows = await sql.begin(async (tx) => {
        await tx.unsafe("select set_config('work_mem', '32MB', true), set_config('jit', 'off', true)");
        await tx.unsafe(`prepare bench_q as ${s.query}`);
        const literals = s.params
          .map((p) => (typeof p === "number" ? String(p) : `'${String(p).replaceAll("'", "''")}'`))
          .join(", ");
        const out = await tx.unsafe(
          `explain (analyze, buffers) execute bench_q${s.params.length ? `(${literals})` : ""}`,
        );
        await tx.unsafe("deallocate bench_q");
        return out;
      });
      const text = rows.map((r) => String(r["QUERY PLAN"])).join("\n");
      const scans = [
        ...new Set(
          text
            .split("\n")
            .flatMap(
              (l) =>
                /((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Heap Scan|Seq Scan)(?: Backward)?(?: using \S+)? on \S+)/.exec(
                  l,
                )?.[1] ?? [],
            ),
        ),
      ];
      plans.push({
        name: s.name,
        sql: s.query,
        params: s.params,
        summary: `${/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? "?"} ms [${scans.join("; ")}]`,
        text,
      });
    }
    return plans;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

await runBenchmark(main);
