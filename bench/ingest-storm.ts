// Benchmark: an alert storm on POST /api/v1/webhooks/alertmanager against the production build. Every
// delivery carries 20 alerts never seen before: on each connection, alternately a new group (a new
// incident) and 20 new alerts joining the group it opened just before (its open incident; the first of
// them critical, so the join also raises the incident's severity). Then a check in the database that
// every alert answered 2xx is stored exactly once, in exactly one incident per group. No worker runs.
// Target (issue 22, goal 2): >= 3,000 alerts/s with p99 <= 250 ms at 32 connections, 0 lost or doubled.
//
//   npm run build
//   node --import tsx bench/ingest-storm.ts [--connections 32] [--duration 30] [--warmup 5] [--alerts 20]
//
// WEB_CONCURRENCY=N runs N web processes. DATABASE_URL names the PostgreSQL server to use (a database
// vigil_bench_<pid> is created on it and dropped afterwards); without it an embedded one is started.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Options as LoadOptions } from "autocannon";
import { createDatabaseClient } from "@/db/client";
import { freePort } from "@/db/embedded-postgres";
import { alert, webhook } from "@/test/alertmanager";
import {
  appEnv,
  classifier,
  cpuPerUnit,
  createBenchDatabaseWithToken,
  describeCpu,
  ensureResultsDir,
  fileStamp,
  fmt,
  positiveInt,
  profileFlags,
  readBuild,
  resultsDir,
  runBenchmark,
  runLoad,
  say,
  startCpuProbe,
  startWebServer,
  waitForIdle,
  warnIfRebuilt,
} from "./support";

const { values: args } = parseArgs({
  options: {
    connections: { type: "string", default: "32" },
    duration: { type: "string", default: "30" },
    warmup: { type: "string", default: "5" },
    alerts: { type: "string", default: "20" },
    profile: { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
    "wait-idle": { type: "string", default: "900" },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log(
    "node --import tsx bench/ingest-storm.ts [--connections 32] [--duration 30] [--warmup 5] [--alerts 20] [--profile] [--keep-db] [--wait-idle 900]",
  );
  process.exit(0);
}
const connections = positiveInt("connections", args.connections);
const duration = positiveInt("duration", args.duration);
const alertsPerDelivery = positiveInt("alerts", args.alerts);
const warmupSeconds = Number(args.warmup);
const waitIdleSeconds = Number(args["wait-idle"]);
const webhookPath = "/api/v1/webhooks/alertmanager";

const TARGET_ALERTS_PER_SEC = 3000;
const TARGET_P99_MS = 250;

/** Delivery n of a connection: even n opens group n/2, odd n brings new alerts to the group just opened. */
function stormBody(title: string, client: number, n: number): string {
  const group = `${title}-${client}-${Math.floor(n / 2)}`;
  const joining = n % 2 === 1;
  const alerts = Array.from({ length: alertsPerDelivery }, (_, i) =>
    alert({
      labels: {
        alertname: "StormAlert",
        group,
        instance: `host-${joining ? alertsPerDelivery + i : i}`,
        service: "checkout",
        // The group opens at warning; the first joining alert is critical and raises the incident.
        severity: joining && i === 0 ? "critical" : "warning",
      },
      annotations: { summary: `Storm alert ${i} of ${group}` },
    }),
  );
  return JSON.stringify(webhook(`{}:{group="${group}"}`, alerts));
}

function loadOptions(base: string, token: string, seconds: number, title: string): LoadOptions {
  let nextClient = 0;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  return {
    url: `${base}${webhookPath}`,
    connections,
    duration: seconds,
    method: "POST",
    headers,
    title,
    setupClient(client) {
      const index = nextClient++;
      let n = 0;
      client.setRequests([
        {
          method: "POST",
          path: webhookPath,
          headers,
          setupRequest: (request) => ({ ...request, body: stormBody(title, index, n++) }),
        },
      ]);
    },
  };
}

async function main(): Promise<void> {
  const build = readBuild();
  if (!build) {
    say("No production build (.next/BUILD_ID): run `npm run build` first.");
    process.exit(1);
  }
  const { bench, token } = await createBenchDatabaseWithToken({ keep: args["keep-db"] });
  const check = createDatabaseClient(bench.url, { max: 1, applicationName: "vigil-bench" });
  const port = await freePort();
  ensureResultsDir();
  const stamp = fileStamp(new Date());
  const logFile = path.join(resultsDir, `ingest-storm-web-${stamp}.log`);
  const nodeFlags = profileFlags(args.profile, "ingest-storm", stamp);
  const web = await startWebServer({ port, env: appEnv(bench.url, port), logFile, nodeFlags });
  warnIfRebuilt(build);
  const base = `http://127.0.0.1:${port}`;

  if (warmupSeconds > 0) {
    say(`Warming up for ${warmupSeconds} s (not measured)…`);
    await runLoad(loadOptions(base, token, warmupSeconds, "warmup"));
  }
  await waitForIdle(classifier({ server: web.pid }), waitIdleSeconds);
  say(`Measuring: ${connections} connections for ${duration} s, ${alertsPerDelivery} new alerts a delivery…`);
  const probe = startCpuProbe();
  const raw = await runLoad(loadOptions(base, token, duration, "measure"));
  const cpu = probe.finish(classifier({ server: web.pid }, await bench.backends()));

  // Every alert of a delivery answered 2xx is one alert row; every group one incident.
  const [stored] = await check.sql<{ alerts: number; fingerprints: number; groups: number; incidents: number }[]>`
    select count(*)::int as alerts, count(distinct a.fingerprint)::int as fingerprints,
           count(distinct i.group_key)::int as groups, count(distinct i.id)::int as incidents
      from alerts a join incidents i on i.id = a.incident_id
     where i.group_key like '{}:{group="measure-%'`;
  await check.close();
  const answered = raw["2xx"];
  const expected = answered * alertsPerDelivery;
  const lost = Math.max(0, expected - (stored?.fingerprints ?? 0));
  const doubled =
    (stored?.alerts ?? 0) - (stored?.fingerprints ?? 0) + (stored?.incidents ?? 0) - (stored?.groups ?? 0);
  const alertsPerSec = expected / raw.duration;
  const summary = {
    connections,
    alertsPerDelivery,
    seconds: raw.duration,
    answered2xx: answered,
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    alertsPerSec,
    latencyMs: { p50: raw.latency.p50, p90: raw.latency.p90, p99: raw.latency.p99, max: raw.latency.max },
    stored,
    cpu,
    lost,
    doubled,
  };
  writeFileSync(path.join(resultsDir, `ingest-storm-${stamp}.json`), JSON.stringify(summary, null, 2));
  say(
    `${fmt(alertsPerSec)} alerts/s (target >= ${fmt(TARGET_ALERTS_PER_SEC)}) in ${fmt(answered / raw.duration)} deliveries/s, ` +
      `p50 ${raw.latency.p50} ms, p99 ${raw.latency.p99} ms (target <= ${TARGET_P99_MS}); ${fmt(answered)} answered 2xx, ` +
      `${raw.non2xx} non-2xx, ${raw.errors} errors, ${raw.timeouts} timeouts`,
  );
  say(
    `In the database: ${stored?.fingerprints} alerts in ${stored?.incidents} incidents of ${stored?.groups} groups ` +
      `(expected ${fmt(expected)} alerts): lost ${lost}, doubled ${doubled}`,
  );
  say(`CPU per delivery: ${cpuPerUnit(cpu, answered / raw.duration)}; ${describeCpu(cpu)}`);
  if (lost > 0 || doubled > 0 || raw.non2xx > 0) {
    say("WARNING: alerts were lost, doubled or refused");
    process.exitCode = 3;
  }
}

await runBenchmark(main);
