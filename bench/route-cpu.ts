// CPU per request of the board's reads, measured in-process: each route handler is called N times in a row
// (one request at a time, the body read as Next.js would) and process.cpuUsage() taken around the loop. On
// a shared machine this is steadier than req/s under load: it counts our process's CPU, not the wall clock.
// It leaves out Next.js's own work and the socket writes (see incidents-list.ts for those).
//
//   DATABASE_URL=postgres://postgres@localhost:5432/postgres \
//     node --import tsx bench/route-cpu.ts [--incidents 50000] [--requests 2000] [--no-token-cache] [--read-cache]
//
// --read-cache installs the web process's cache of the board's reads (INCIDENT_READ_CACHE_TTL's default),
// so that the figures are those of a read answered again before anything changed.
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@/db/client";
import { createTokenActorCache } from "@/lib/auth/token-actor-cache";
import { loadConfig } from "@/lib/env";
import { createIncidentReadCache } from "@/lib/incidents/incident-read-cache";
import { createLogger } from "@/lib/observability/logger";
import { setRuntime } from "@/lib/runtime";
import * as listRoute from "@/app/api/v1/incidents/route";
import * as countsRoute from "@/app/api/v1/incidents/counts/route";
import * as incidentRoute from "@/app/api/v1/incidents/[ref]/route";
import * as timelineRoute from "@/app/api/v1/incidents/[ref]/timeline/route";
import { seedIncidentsSql } from "./incident-seed";
import { createBenchDatabaseWithToken, positiveInt, runBenchmark, say } from "./support";

const { values: args } = parseArgs({
  options: {
    incidents: { type: "string", default: "50000" },
    requests: { type: "string", default: "2000" },
    "keep-db": { type: "boolean", default: false },
    "no-token-cache": { type: "boolean", default: false },
    "read-cache": { type: "boolean", default: false },
  },
});
const incidentCount = positiveInt("incidents", args.incidents);
/** Requests per figure, in this many blocks. */
const BLOCKS = 10;
const requests = Math.max(BLOCKS, Math.round(positiveInt("requests", args.requests) / BLOCKS) * BLOCKS);

async function main(): Promise<void> {
  const { bench, token } = await createBenchDatabaseWithToken({ keep: args["keep-db"] });
  const client = createDatabaseClient(bench.url, { max: 10, applicationName: "vigil-web" });
  await client.sql.unsafe(seedIncidentsSql, [incidentCount]);
  // A timeline of 40 events on the newest incident, for the incident page's reads.
  const [newest] = await client.sql<{ number: number }[]>`
    with i as (select id, number from incidents order by number desc limit 1),
         e as (insert into timeline_events (incident_id, at, kind, actor_type, actor_name, text, data)
               select i.id, now() - g * interval '1 minute', 'note', 'user', 'Ada', 'Looked at the dashboards ' || g, '{"k": 1}'
               from i, generate_series(1, 40) g)
    select number from i`;
  await client.sql`vacuum (analyze) incidents`;
  await client.sql`analyze timeline_events`;
  const config = loadConfig({
    DATABASE_URL: bench.url,
    LOG_LEVEL: "silent",
    APP_URL: "http://127.0.0.1:3000",
    AUTH_SECRET: "route-cpu-bench-secret-0123456789abcdef",
  });
  const tokenActors = args["no-token-cache"] ? undefined : createTokenActorCache(bench.url);
  await tokenActors?.listening();
  const incidentReads = args["read-cache"]
    ? createIncidentReadCache(client.sql, { ttlMs: config.incidentReadCacheTtlMs })
    : undefined;
  await incidentReads?.listening();
  setRuntime({ config, database: client, logger: createLogger("silent"), tokenActors, incidentReads });

  const ref = `INC-${newest!.number}`;
  const params = { params: Promise.resolve({ ref }) };
  const cases: [string, string, (req: Request) => Promise<Response>][] = [
    ["list resolved-by-service", "?status=resolved&service=checkout&limit=50", (req) => listRoute.GET(req)],
    [
      "list unresolved (the board's default)",
      "?status=open&status=acknowledged&status=investigating&limit=50",
      (req) => listRoute.GET(req),
    ],
    ["counts", "/counts?status=open&status=acknowledged&status=investigating", (req) => countsRoute.GET(req)],
    ["incident", `/${ref}`, (req) => incidentRoute.GET(req, params)],
    ["timeline", `/${ref}/timeline`, (req) => timelineRoute.GET(req, params)],
  ];
  const once = async (path: string, handler: (req: Request) => Promise<Response>) => {
    const req = new Request(`http://127.0.0.1:3000/api/v1/incidents${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const res = await handler(req);
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${Buffer.from(body).toString()}`);
    return body.byteLength;
  };
  try {
    for (const [name, path, handler] of cases) {
      for (let i = 0; i < 200; i++) await once(path, handler);
      // Blocks of requests: other work on the machine only adds to a block's CPU, so the least block is
      // the steadiest figure; the median is given beside it.
      const blocks: number[] = [];
      let bytes = 0;
      for (let b = 0; b < BLOCKS; b++) {
        const cpu = process.cpuUsage();
        for (let i = 0; i < requests / BLOCKS; i++) bytes = await once(path, handler);
        const used = process.cpuUsage(cpu);
        blocks.push((used.user + used.system) / 1000 / (requests / BLOCKS));
      }
      blocks.sort((a, b) => a - b);
      say(
        `${name}: ${blocks[0]!.toFixed(3)} ms CPU/request (least of ${BLOCKS} blocks; median ${blocks[BLOCKS >> 1]!.toFixed(3)}), ${bytes} bytes`,
      );
    }
  } finally {
    await tokenActors?.close();
    incidentReads?.close();
    await client.close();
  }
}

await runBenchmark(main);
