// Benchmark: POST /api/v1/integrations/pagerduty/v2/enqueue against the production build. Single-event
// deliveries (a trigger per request, each with its own dedup_key, so each opens its own incident) at 32
// connections; then a check in the database that every event answered 202 is stored exactly once: none
// lost, none doubled. No worker runs: the notify jobs ingestion enqueues are part of its cost.
// Target (issue 21): >= 300 events/s with p99 <= 250 ms on a quiet machine. See bench/README.md.
//
//   npm run build
//   node --import tsx bench/intake-pagerduty.ts [--connections 32] [--duration 30] [--warmup 5]
//
// DATABASE_URL names the PostgreSQL server to use (a database vigil_bench_<pid> is created on it and
// dropped afterwards); without it an embedded PostgreSQL is started in a temporary directory.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Options as LoadOptions } from "autocannon";
import { createDatabaseClient } from "@/db/client";
import { freePort } from "@/db/embedded-postgres";
import { systemActor } from "@/lib/context";
import { createIntegration } from "@/lib/intake/integrations";
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
    "keep-db": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    "wait-idle": { type: "string", default: "900" },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log(
    "node --import tsx bench/intake-pagerduty.ts [--connections 32] [--duration 30] [--warmup 5] [--keep-db] [--wait-idle 900] [--profile]",
  );
  process.exit(0);
}
const connections = positiveInt("connections", args.connections);
const duration = positiveInt("duration", args.duration);
const warmupSeconds = Number(args.warmup);
const waitIdleSeconds = Number(args["wait-idle"]);
const enqueuePath = "/api/v1/integrations/pagerduty/v2/enqueue";

const TARGET_PER_SEC = 300;
const TARGET_P99_MS = 250;

function loadOptions(base: string, routingKey: string, seconds: number, title: string): LoadOptions {
  let nextClient = 0;
  const body = (dedupKey: string) =>
    JSON.stringify({
      routing_key: routingKey,
      event_action: "trigger",
      dedup_key: dedupKey,
      payload: {
        summary: `Bench event ${dedupKey}`,
        source: "bench-host",
        severity: "error",
        component: "api",
        custom_details: { run: title },
      },
    });
  return {
    url: `${base}${enqueuePath}`,
    connections,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    title,
    setupClient(client) {
      const index = nextClient++;
      let n = 0;
      client.setRequests([
        {
          method: "POST",
          path: enqueuePath,
          headers: { "content-type": "application/json" },
          setupRequest: (request) => ({ ...request, body: body(`${title}-${index}-${n++}`) }),
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
  const { bench } = await createBenchDatabaseWithToken({ keep: args["keep-db"] });
  const setup = createDatabaseClient(bench.url, { max: 1, applicationName: "vigil-bench" });
  const { id: integrationId, secret: routingKey } = await createIntegration({
    ctx: { db: setup.db, actor: systemActor("bench"), now: new Date() },
    input: { kind: "pagerduty", name: "bench" },
  });
  const port = await freePort();
  ensureResultsDir();
  const logFile = path.join(resultsDir, `intake-pagerduty-web-${fileStamp(new Date())}.log`);
  const nodeFlags = profileFlags(args.profile, "intake-pagerduty", fileStamp(new Date()));
  const web = await startWebServer({ port, env: appEnv(bench.url, port), logFile, nodeFlags });
  warnIfRebuilt(build);
  const base = `http://127.0.0.1:${port}`;

  if (warmupSeconds > 0) {
    say(`Warming up for ${warmupSeconds} s (not measured)…`);
    await runLoad(loadOptions(base, routingKey, warmupSeconds, "warmup"));
  }
  await waitForIdle(classifier({ server: web.pid }), waitIdleSeconds);
  say(`Measuring: ${connections} connections for ${duration} s, one trigger per request…`);
  const probe = startCpuProbe();
  const raw = await runLoad(loadOptions(base, routingKey, duration, "measure"));
  const cpu = probe.finish(classifier({ server: web.pid }, await bench.backends()));

  // Every key answered 202 must be exactly one alert in exactly one incident.
  const [stored] = await setup.sql<{ alerts: number; keys: number; incidents: number; resent: number }[]>`
    select count(*)::int as alerts, count(distinct a.fingerprint)::int as keys,
           count(distinct a.incident_id)::int as incidents, count(*) filter (where a.receive_count > 1)::int as resent
      from alerts a where a.fingerprint like ${`${integrationId}:measure-%`}`;
  await setup.close();
  const answered = raw["2xx"];
  const lost = Math.max(0, answered - (stored?.keys ?? 0));
  const doubled =
    (stored?.alerts ?? 0) -
    (stored?.keys ?? 0) +
    (stored?.incidents ?? 0) -
    (stored?.keys ?? 0) +
    (stored?.resent ?? 0);
  const perSec = answered / raw.duration;
  const summary = {
    connections,
    seconds: raw.duration,
    answered202: answered,
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    eventsPerSec: perSec,
    latencyMs: { p50: raw.latency.p50, p90: raw.latency.p90, p99: raw.latency.p99, max: raw.latency.max },
    stored,
    cpu,
    lost,
    doubled,
  };
  writeFileSync(
    path.join(resultsDir, `intake-pagerduty-${fileStamp(new Date())}.json`),
    JSON.stringify(summary, null, 2),
  );
  say(
    `${fmt(perSec)} events/s (target >= ${TARGET_PER_SEC}), p50 ${raw.latency.p50} ms, p99 ${raw.latency.p99} ms (target <= ${TARGET_P99_MS}); ` +
      `${fmt(answered)} answered 202, ${raw.non2xx} non-2xx, ${raw.errors} errors, ${raw.timeouts} timeouts; ` +
      `in the database: ${stored?.keys} keys, ${stored?.alerts} alerts, ${stored?.incidents} incidents — lost ${lost}, doubled ${doubled}`,
  );
  // Where the CPU went, per event: the web process, PostgreSQL's backends for this database, the rest.
  say(`CPU per event: ${cpuPerUnit(cpu, perSec)}; ${describeCpu(cpu)}`);
  if (lost > 0 || doubled > 0 || raw.non2xx > 0) {
    say("WARNING: events were lost, doubled or refused");
    process.exitCode = 3;
  }
}

await runBenchmark(main);
