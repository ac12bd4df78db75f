// Benchmark: the board page (/) with many active incidents, as a signed-in responder sees it. Measures
// time to first byte of the HTML (p50/p95 over sequential and concurrent requests) and the size of what
// the browser downloads for the page: the HTML document, which carries the page's RSC payload inline
// (self.__next_f.push). See bench/README.md.
//
//   npm run build
//   node --import tsx bench/board.ts [--active 10000] [--requests 300] [--concurrency 4]
import { encode } from "@auth/core/jwt";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { freePort } from "@/db/embedded-postgres";
import {
  appEnv,
  createBenchDatabase,
  fmt,
  percentiles,
  positiveInt,
  readBuild,
  resultsDir,
  runBenchmark,
  say,
  startWebServer,
  ensureResultsDir,
} from "./support";

const { values } = parseArgs({
  options: {
    active: { type: "string", default: "10000" },
    requests: { type: "string", default: "300" },
    concurrency: { type: "string", default: "4" },
    "keep-db": { type: "boolean", default: false },
  },
});
const active = positiveInt("--active", values.active!);
const requests = positiveInt("--requests", values.requests!);
const concurrency = positiveInt("--concurrency", values.concurrency!);

/** Time to the first byte of the body, and the whole body's size, for one GET. */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; ttfbMs: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let ttfbMs = 0;
    let bytes = 0;
    const req = http.get(url, { headers }, (res) => {
      res.on("data", (chunk: Buffer) => {
        if (bytes === 0) ttfbMs = performance.now() - started;
        bytes += chunk.length;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ttfbMs, bytes }));
    });
    req.on("error", reject);
  });
}

async function measure(url: string, headers: Record<string, string>, count: number, parallel: number) {
  const ttfb: number[] = [];
  let bytes = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next++;
        const r = await get(url, headers);
        if (r.status !== 200) throw new Error(`GET ${url} answered ${r.status}`);
        ttfb.push(r.ttfbMs);
        bytes = r.bytes;
      }
    }),
  );
  return { p50: percentiles(ttfb).p50, p95: nearestRank(ttfb, 95), bytes };
}

function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

await runBenchmark(async () => {
  const build = readBuild();
  if (!build) throw new Error("No production build: run `npm run build` first.");
  const db = await createBenchDatabase({ keep: values["keep-db"]! });
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  say(`Seeding ${fmt(active)} active incidents and ${fmt(active * 4)} resolved ones…`);
  await sql.unsafe(`
    insert into incidents (title, severity, status, service, team, detected_at, created_at, updated_at, acknowledged_at, resolved_at)
    select 'Bench incident ' || g,
           (array['P0','P1','P2','P3','P4'])[1 + (g % 5)]::incident_severity,
           case when g <= ${active} then (array['open','acknowledged','investigating'])[1 + (g % 3)] else 'resolved' end::incident_status,
           'service-' || (g % 40), 'team-' || (g % 8),
           now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval,
           case when g % 3 <> 0 then now() - (g || ' minutes')::interval end,
           case when g > ${active} then now() - (g || ' minutes')::interval end
      from generate_series(1, ${active * 5}) g`);
  await sql.unsafe("analyze incidents");
  const [user] = await sql<
    { id: string }[]
  >`insert into users (email, name, role) values ('bench@example.com', 'Bench Responder', 'responder') returning id`;

  const port = await freePort();
  const env = appEnv(db.url, port);
  const salt = "authjs.session-token";
  const cookie = `${salt}=${await encode({ token: { uid: user!.id, sub: user!.id }, secret: String(env.AUTH_SECRET), salt })}`;
  ensureResultsDir();
  await startWebServer({ port, env, logFile: path.join(resultsDir, `board-${Date.now()}.server.log`) });
  const base = `http://127.0.0.1:${port}/`;

  say("Warming up…");
  await measure(base, { cookie }, 30, 2);
  const sequential = await measure(base, { cookie }, requests, 1);
  const concurrent = await measure(base, { cookie }, requests, concurrency);
  const htmlKb = sequential.bytes / 1024;

  console.log(`
| board, ${fmt(active)} active incidents (build ${build.id}) | p50 TTFB | p95 TTFB | HTML incl. inline RSC payload |
|---|---:|---:|---:|
| sequential, ${requests} requests | ${sequential.p50.toFixed(0)} ms | ${sequential.p95.toFixed(0)} ms | ${htmlKb.toFixed(0)} KB |
| ${concurrency} concurrent | ${concurrent.p50.toFixed(0)} ms | ${concurrent.p95.toFixed(0)} ms | |
`);
  await sql.end();
});
