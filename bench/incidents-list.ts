// Benchmark: GET /api/v1/incidents (two realistic filter sets, limit 50) against the production build,
// on a fresh database seeded with N incidents, measured alternately with a bare Next.js route handler that
// answers the same JSON from memory (bench/next-yardstick.ts: Vigil/yardstick ratios, issue 22), and with a
// raw node:http hello-world as the yardstick for what this machine and this load generator can do at all.
// See bench/README.md.
//
//   npm run build
//   node --import tsx bench/incidents-list.ts [--incidents 100000] [--duration 20] [--connections 64]
//   (more options: --help)
//
// DATABASE_URL names the PostgreSQL server to use (a database vigil_bench_<pid> is created on it and
// dropped afterwards); without it an embedded PostgreSQL is started in a temporary directory.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Options as LoadOptions, Result as LoadResult } from "autocannon";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { createDatabaseClient, schema } from "@/db/client";
import { freePort } from "@/db/embedded-postgres";
import { authenticateApiToken, ensureBootstrapToken } from "@/lib/auth/api-tokens";
import { systemActor } from "@/lib/context";
import { readQuery } from "@/lib/http/request";
import { listIncidents } from "@/lib/incidents/list-incidents";
import {
  appEnv,
  classifier,
  createBenchDatabase,
  describeCpu,
  describeMachine,
  disturbed,
  ensureResultsDir,
  fileStamp,
  fmt,
  machineInfo,
  newToken,
  positiveInt,
  readBuild,
  resultsDir,
  root,
  runBenchmark,
  runLoad,
  say,
  startCpuProbe,
  startDetached,
  startWebServer,
  stopProcess,
  waitForHealthy,
  waitForIdle,
  warnIfRebuilt,
  type CpuSample,
} from "./support";
import { seedIncidentsSql } from "./incident-seed";
import { startNextYardstick } from "./next-yardstick";

// ---- Options ----

const usage = `node --import tsx bench/incidents-list.ts [--incidents 100000] [--duration 20] [--connections 64]
    [--explain]          print the full EXPLAIN (ANALYZE, BUFFERS) of each query the endpoint runs
    [--profile]          write a V8 CPU profile of the server to bench/results/
    [--setup-sql "…"]    run this SQL after seeding (to try an index, say)
    [--keep-db]          keep the bench database afterwards
    [--rounds 3]         times the endpoint and the bare Next.js yardstick are measured, alternating
    [--warmup 5]         seconds of the measured load on each scenario and on the bare handler before round 1
    [--read-cache-ttl 2s]  the server's INCIDENT_READ_CACHE_TTL (default: the product's); 0s measures every read
    [--changes-per-second 0]  while the endpoint is measured, announce this many incident changes a second
                         (the NOTIFY a change elsewhere sends), each dropping every kept page
    [--wait-idle 900]    seconds to wait for other work on the machine to stop before each measurement (0: don't)`;

const { values: args } = parseArgs({
  options: {
    incidents: { type: "string", default: "100000" },
    duration: { type: "string", default: "20" },
    connections: { type: "string", default: "64" },
    explain: { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
    "wait-idle": { type: "string", default: "900" },
    profile: { type: "boolean", default: false },
    rounds: { type: "string", default: "3" },
    warmup: { type: "string", default: "5" },
    "read-cache-ttl": { type: "string" },
    "changes-per-second": { type: "string", default: "0" },
    "setup-sql": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const incidentCount = positiveInt("incidents", args.incidents);
const duration = positiveInt("duration", args.duration);
const connections = positiveInt("connections", args.connections);
const rounds = positiveInt("rounds", args.rounds);
const warmupSeconds = args.warmup === "0" ? 0 : positiveInt("warmup", args.warmup);
const changesPerSecond =
  args["changes-per-second"] === "0" ? 0 : positiveInt("changes-per-second", args["changes-per-second"]);
/** Seconds to wait for other work on the machine to stop before each measurement (0: do not wait). */
const waitIdleSeconds = args["wait-idle"] === "0" ? 0 : positiveInt("wait-idle", args["wait-idle"]);

// ---- What the benchmark drives ----

interface Scenario {
  name: string;
  description: string;
  query: string;
}

function scenarios(commonService: string): Scenario[] {
  return [
    {
      name: "resolved-by-service",
      description: `resolved incidents of one busy service (${commonService}), newest first`,
      query: `status=resolved&service=${encodeURIComponent(commonService)}&limit=50`,
    },
    {
      name: "unresolved-p1-p2",
      description: "unresolved (open/acknowledged/investigating) P1 and P2 incidents, newest first",
      query: "status=open&status=acknowledged&status=investigating&severity=P1&severity=P2&limit=50",
    },
  ];
}

interface Measurement {
  name: string;
  url: string;
  matchingRows?: number;
  /** Incident changes announced while it was measured (--changes-per-second). */
  changesAnnounced?: number;
  reqPerSec: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The machine just before this measurement, with nothing of ours running. */
  idleBefore: CpuSample | null;
  /** CPU used by processes not part of the benchmark while it ran. */
  foreignDuring: CpuSample | null;
  attempts: number;
  raw: LoadResult;
}

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

  // 1. Server and a fresh database.
  const bench = await createBenchDatabase({ keep: args["keep-db"] });
  const databaseUrl = bench.url;

  // 2. Seed, analyze, token.
  const client = createDatabaseClient(databaseUrl, { max: 1, applicationName: "vigil-bench" });
  const token = newToken();
  let seedSeconds: number;
  let commonService: string;
  let matching: number[];
  try {
    say(`seeding ${incidentCount.toLocaleString("en-US")} incidents…`);
    const seedStarted = performance.now();
    await client.sql.unsafe(seedIncidentsSql, [incidentCount]);
    seedSeconds = (performance.now() - seedStarted) / 1000;
    say(`seeded in ${seedSeconds.toFixed(1)} s`);
    // VACUUM as well as ANALYZE: sets hint bits and the visibility map now, so neither the first
    // requests nor an autovacuum triggered by the bulk insert run during the measurement.
    const analyzeStarted = performance.now();
    await client.sql`vacuum (analyze) incidents`;
    say(`vacuum analyze in ${((performance.now() - analyzeStarted) / 1000).toFixed(1)} s`);

    await ensureBootstrapToken(client.db, token, new Date());
    if (args["setup-sql"]) {
      // For experiments (an index being considered, say): runs after seeding, then analyzes again.
      say(`setup SQL: ${args["setup-sql"]}`);
      await client.sql.unsafe(args["setup-sql"]);
      await client.sql`analyze incidents`;
    }

    const [top] = await client.sql<{ service: string }[]>`
      select service from incidents where status = 'resolved' group by service order by count(*) desc limit 1`;
    commonService = top!.service;
    const [counts] = await client.sql<{ a: number; b: number }[]>`
      select count(*) filter (where status = 'resolved' and service = ${commonService})::int as a,
             count(*) filter (where status in ('open', 'acknowledged', 'investigating') and severity in ('P1', 'P2'))::int as b
      from incidents`;
    matching = [counts!.a, counts!.b];
  } finally {
    await client.close();
  }
  const cases = scenarios(commonService);
  cases.forEach((c, i) => say(`scenario ${c.name}: ${matching[i]!.toLocaleString("en-US")} matching incidents`));

  // 3. The built app.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = path.join(resultsDir, `incidents-list-${stamp}.server.log`);
  say(`Starting next start on port ${port} (log: ${path.relative(root, serverLog)})…`);
  // --profile: a V8 CPU profile of the server over the whole run (open it in Chrome DevTools or speedscope).
  const profileFlags = args.profile
    ? ["--cpu-prof", `--cpu-prof-dir=${resultsDir}`, `--cpu-prof-name=incidents-list-${stamp}.server.cpuprofile`]
    : [];
  const cacheTtl = args["read-cache-ttl"];
  const web = await startWebServer({
    port,
    env: appEnv(databaseUrl, port, cacheTtl === undefined ? {} : { INCIDENT_READ_CACHE_TTL: cacheTtl }),
    logFile: serverLog,
    nodeFlags: profileFlags,
  });
  const headers = { authorization: `Bearer ${token}` };
  const answers: string[] = [];
  for (const c of cases) {
    const response = await fetch(`${base}/api/v1/incidents?${c.query}`, { headers });
    const body = await response.text();
    if (response.status !== 200)
      throw new Error(`GET /api/v1/incidents?${c.query} answered ${response.status}: ${body.slice(0, 500)}`);
    const parsed = JSON.parse(body) as { data: unknown[] };
    answers.push(body);
    say(
      `check ${c.name}: 200, ${parsed.data.length} incidents, ${Buffer.byteLength(body).toLocaleString("en-US")} bytes`,
    );
  }
  // The bare Next.js yardstick answers the first scenario's answer (50 incidents, ≈35 KB) from memory.
  const nextPort = await freePort();
  const bare = await startNextYardstick(answers[0]!, nextPort, appEnv(databaseUrl, nextPort));

  // Both servers warmed under the measured load, after the yardstick's build: the first round then
  // measures code V8 has already optimised for that load, as the later rounds do.
  const warmup = warmupSeconds > 0 ? { duration: warmupSeconds } : { amount: 300 };
  say(
    `Warming up: ${warmupSeconds > 0 ? `${warmupSeconds} s` : "300 requests"} of ${connections} connections on each scenario and on the bare handler…`,
  );
  for (const c of cases) await runLoad({ url: `${base}/api/v1/incidents?${c.query}`, connections, ...warmup, headers });
  await runLoad({ url: bare.url, connections, ...warmup });

  // 4. The endpoint under load, alternating with the bare Next.js route handler, `rounds` times.
  const measurements: Measurement[] = [];
  const nextMeasurements: Measurement[] = [];
  for (let round = 1; round <= rounds; round++) {
    const suffix = rounds > 1 ? ` (round ${round})` : "";
    for (const [i, c] of cases.entries()) {
      const changes = announceChanges(databaseUrl, changesPerSecond);
      const m = await measure(
        `${c.name}${suffix}`,
        { url: `${base}/api/v1/incidents?${c.query}`, connections, duration, headers, title: c.name },
        web.pid!,
        bench.backends,
      ).finally(() => changes.stop());
      measurements.push({ ...m, matchingRows: matching[i], changesAnnounced: await changes.stop() });
    }
    nextMeasurements.push(
      await measure(
        `bare Next.js route handler, same JSON from memory${suffix}`,
        { url: bare.url, connections, duration, title: "bare Next.js" },
        bare.server.pid!,
        async () => new Set(),
      ),
    );
  }
  await stopProcess(bare.server);

  // Query plans of exactly what the endpoint runs, captured through drizzle's logger.
  const plans = await explainQueries(databaseUrl, token, cases);
  for (const p of plans) {
    say(`plan ${p.name}: ${p.summary}`);
    if (args.explain)
      console.log(
        `${p.sql}\n-- params: ${JSON.stringify(p.params)}\n${p.plans.map((x) => `-- ${x.mode}\n${x.text}`).join("\n")}\n`,
      );
  }

  await stopProcess(web);

  // 5. The yardstick: what a bare node:http server does with the same load on the same machine.
  const helloPort = await freePort();
  const helloCode = `require("node:http").createServer((q, s) => { s.writeHead(200, { "content-type": "text/plain" }); s.end("ok"); })
    .listen(Number(process.argv[1]), "127.0.0.1", () => console.log("ready"));`;
  const yardstick = startDetached(process.execPath, ["-e", helloCode, String(helloPort)], process.env);
  await waitForHealthy(`http://127.0.0.1:${helloPort}/`, yardstick);
  await runLoad({ url: `http://127.0.0.1:${helloPort}/`, connections: 8, amount: 2000 });
  const hello = await measure(
    "node:http hello-world",
    { url: `http://127.0.0.1:${helloPort}/`, connections, duration, title: "node:http hello-world" },
    yardstick.pid!,
    async () => new Set(),
  );
  await stopProcess(yardstick);

  // 6. Report.
  warnIfRebuilt(build);
  const all = [...measurements, ...nextMeasurements, hello];
  const bad = all.filter((m) => m.non2xx > 0 || m.errors > 0 || m.timeouts > 0);
  const machine = machineInfo(bench);
  const table = [
    `| target | req/s (mean) | latency mean ms | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors | server CPU ms/req | postgres CPU ms/req |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...all.map((m) => {
      const perRequest = (role: string) => {
        const pct = m.foreignDuring?.roles[role];
        return pct === undefined ? "–" : ((pct * 10) / m.reqPerSec).toFixed(3);
      };
      return `| ${m.name} | ${fmt(m.reqPerSec)} | ${m.mean.toFixed(2)} | ${m.p50} | ${m.p90} | ${m.p99} | ${m.max} | ${m.non2xx} | ${m.errors + m.timeouts} | ${perRequest("server")} | ${perRequest("postgres backends")} |`;
    }),
  ].join("\n");
  console.log(
    `\n### GET /api/v1/incidents — ${incidentCount.toLocaleString("en-US")} incidents, ${connections} connections, ${duration} s — ${startedAt.toISOString()}\n` +
      `${describeMachine(machine)}; build ${build.id} (${build.builtAt}); seeded in ${seedSeconds.toFixed(1)} s\n\n${table}\n`,
  );
  console.log(ratioLines(cases, measurements, nextMeasurements).join("\n") + "\n");
  console.log(
    `Server's INCIDENT_READ_CACHE_TTL: ${cacheTtl ?? "the default"}; incident changes announced while each endpoint run was measured: ${changesPerSecond}/s.\n`,
  );
  const busy = all.filter((m) => disturbed(m.idleBefore, m.foreignDuring));
  if (busy.length) {
    const what = busy
      .map((m) => `${m.name} (before: ${describeCpu(m.idleBefore)}; during: ${describeCpu(m.foreignDuring)})`)
      .join("; ");
    say(`WARNING: other work ran on the machine around ${what}; those figures are not clean.`);
  }
  if (bad.length) {
    console.error(
      `\n!!!!!!!!!! WARNING: ${bad.map((m) => `${m.name}: ${m.non2xx} non-2xx, ${m.errors} errors, ${m.timeouts} timeouts`).join("; ")} — these figures are NOT valid !!!!!!!!!!\n`,
    );
    process.exitCode = 3;
  }

  const file = path.join(resultsDir, `incidents-list-${stamp}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        benchmark: "incidents-list",
        startedAt,
        options: {
          incidents: incidentCount,
          duration,
          connections,
          setupSql: args["setup-sql"] ?? null,
          readCacheTtl: cacheTtl ?? null,
          changesPerSecond,
        },
        build,
        machine,
        seedSeconds,
        scenarios: cases,
        measurements,
        yardstick: hello,
        nextYardstick: nextMeasurements,
        plans,
      },
      null,
      2,
    ),
  );
  say(`Raw results: ${path.relative(root, file)}`);
}

/**
 * Vigil against the bare Next.js route handler (issue 22's goal: req/s >= 0.7x, p99 <= 1.5x), per round
 * (each against the yardstick of its own round) and over all rounds (means).
 */
/**
 * NOTIFYs on the live board's channel, `perSecond` a second, as changes made elsewhere send them: each one
 * drops every page the server keeps (lib/incidents/incident-read-cache.ts), without the change's own cost.
 */
function announceChanges(databaseUrl: string, perSecond: number): { stop(): Promise<number> } {
  if (perSecond === 0) return { stop: async () => 0 };
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  let announced = 0;
  const timer = setInterval(() => {
    announced++;
    void sql`select pg_notify('vigil_incident_events', ${JSON.stringify({ incident_id: "bench", event_id: announced, kind: "bench" })})`.catch(
      () => {},
    );
  }, 1000 / perSecond);
  let stopped: Promise<number> | null = null;
  return {
    stop: () =>
      (stopped ??= (async () => {
        clearInterval(timer);
        await sql.end({ timeout: 5 });
        return announced;
      })()),
  };
}

function ratioLines(cases: Scenario[], vigil: Measurement[], bare: Measurement[]): string[] {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return cases.map((c, i) => {
    const own = vigil.filter((_, k) => k % cases.length === i);
    const perRound = own.map((m, r) => `${(m.reqPerSec / bare[r]!.reqPerSec).toFixed(2)}`).join(", ");
    const p99PerRound = own.map((m, r) => `${(m.p99 / bare[r]!.p99).toFixed(2)}`).join(", ");
    const reqRatio = mean(own.map((m) => m.reqPerSec)) / mean(bare.map((m) => m.reqPerSec));
    const p99Ratio = mean(own.map((m) => m.p99)) / mean(bare.map((m) => m.p99));
    return (
      `Vigil/bare Next.js, ${c.name}: req/s ${reqRatio.toFixed(2)} (by round: ${perRound}), ` +
      `p99 ${p99Ratio.toFixed(2)}x (by round: ${p99PerRound})`
    );
  });
}

/**
 * One measurement on a quiet machine: waits (up to --wait-idle) until nothing else uses the CPU, runs the
 * load, and runs it again (twice at most) when other processes used the CPU meanwhile.
 */
async function measure(
  name: string,
  options: LoadOptions,
  serverGroup: number,
  backends: () => Promise<Set<number>>,
): Promise<Measurement> {
  for (let attempt = 1; ; attempt++) {
    const idleBefore = await waitForIdle(classifier({ server: serverGroup }), waitIdleSeconds);
    say(
      `Measuring ${name}: ${options.connections} connections for ${options.duration} s (CPU busy just before: ${describeCpu(idleBefore)})…`,
    );
    const probe = startCpuProbe();
    const raw = await runLoad(options);
    const postgresBackends = await backends();
    const foreignDuring = probe.finish(classifier({ server: serverGroup }, postgresBackends));
    const m = summarize(name, raw, idleBefore, foreignDuring, attempt);
    say(`  ${fmt(m.reqPerSec)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, non-2xx ${m.non2xx}, errors ${m.errors}`);
    const perRequest = Object.entries(foreignDuring?.roles ?? {})
      .map(
        ([role, pct]) => `${role} ${Math.round(pct)}% of a core = ${((pct * 10) / m.reqPerSec).toFixed(2)} ms/request`,
      )
      .join(", ");
    say(`  CPU meanwhile: ${perRequest || "n/a"}; ${describeCpu(foreignDuring)}`);
    if (!disturbed(null, foreignDuring) || attempt >= 3) return m;
    say("  other work disturbed this measurement; measuring again");
  }
}

function summarize(
  name: string,
  raw: LoadResult,
  idleBefore: CpuSample | null,
  foreignDuring: CpuSample | null,
  attempts: number,
): Measurement {
  return {
    name,
    url: raw.url,
    reqPerSec: raw.requests.average,
    mean: raw.latency.average,
    p50: raw.latency.p50,
    p90: raw.latency.p90,
    p99: raw.latency.p99,
    max: raw.latency.max,
    requests: raw.requests.total,
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    idleBefore,
    foreignDuring,
    attempts,
    raw,
  };
}

// ---- Plans ----

interface Plan {
  name: string;
  sql: string;
  params: unknown[];
  summary: string;
  plans: { mode: string; text: string }[];
}

async function explainQueries(databaseUrl: string, token: string, cases: Scenario[]): Promise<Plan[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const captured: { query: string; params: unknown[] }[] = [];
    const db = drizzle(sql, {
      schema,
      casing: "snake_case",
      logger: { logQuery: (query, params) => captured.push({ query, params }) },
    });
    const statements: { name: string; query: string; params: unknown[] }[] = [];
    for (const c of cases) {
      captured.length = 0;
      const input = readQuery(new Request(`http://bench/api/v1/incidents?${c.query}`));
      await listIncidents({ ctx: { db, actor: systemActor("bench"), now: new Date() }, input });
      statements.push({ name: c.name, ...captured[0]! });
    }
    captured.length = 0;
    await authenticateApiToken(db, token, new Date(), null);
    statements.push({ name: "api-token-lookup", ...captured[0]! });

    const plans: Plan[] = [];
    for (const s of statements) {
      const modes: { mode: string; text: string }[] = [];
      // The app's postgres.js prepares its statements, so after five runs PostgreSQL may switch to a
      // generic plan: show the custom plan (parameters known) and the generic one.
      for (const mode of ["force_custom_plan", "force_generic_plan"]) {
        const rows = await sql.begin(async (tx) => {
          await tx.unsafe(`set local plan_cache_mode = ${mode}`);
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
        modes.push({ mode, text: rows.map((r) => String(r["QUERY PLAN"])).join("\n") });
      }
      const firstNodes = (text: string) =>
        text
          .split("\n")
          .filter(
            (l) =>
              /(Scan|Sort|Limit|Join|Loop|Append)/.test(l) && !l.includes("Sort Key") && !l.includes("Sort Method"),
          )
          .map((l) =>
            l
              .trim()
              .replace(/^->\s*/, "")
              .replace(/\s+\(cost.*$/, ""),
          )
          .slice(0, 4)
          .join(" > ");
      const time = (text: string) => /Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? "?";
      const [custom, generic] = modes;
      plans.push({
        name: s.name,
        sql: s.query,
        params: s.params,
        summary: `custom ${time(custom!.text)} ms [${firstNodes(custom!.text)}]; generic ${time(generic!.text)} ms [${firstNodes(generic!.text)}]`,
        plans: modes,
      });
    }
    return plans;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

await runBenchmark(main);
