// What the benchmarks share: a fresh database (vigil_bench_<pid>) with the migrations applied, child
// processes in their own process groups (next start, the worker), the load generator, the CPU probe that
// tells our processes from everyone else's, the wait for a quiet machine, and cleanup on errors and Ctrl-C.
// See bench/README.md.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon, {
  type Instance as LoadInstance,
  type Options as LoadOptions,
  type Result as LoadResult,
} from "autocannon";
import postgres from "postgres";
import { createDatabaseClient } from "@/db/client";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/db/embedded-postgres";
import { migrateDatabase } from "@/db/migrate";
import { ensureBootstrapToken } from "@/lib/auth/api-tokens";

export const root = process.cwd();
export const resultsDir = path.join(root, "bench", "results");
export const say = (message: string) => console.log(`[bench] ${message}`);
export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
export const redact = (u: string) => u.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function positiveInt(name: string, raw: string): number {
  const n = Number(raw.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer (got ${raw})`);
    process.exit(2);
  }
  return n;
}

/** The timestamp used in result file names. */
export const fileStamp = (d: Date) => d.toISOString().replace(/[:.]/g, "-");

export interface BuildInfo {
  id: string;
  builtAt: string;
}

const buildIdFile = path.join(root, ".next", "BUILD_ID");

/** The production build the benchmark serves, or null (and a message) when there is none. */
export function readBuild(): BuildInfo | null {
  if (!existsSync(buildIdFile)) {
    console.error(
      "No production build (.next/BUILD_ID is missing). Run `npm run build` first, then run the benchmark again.",
    );
    return null;
  }
  return { id: readFileSync(buildIdFile, "utf8").trim(), builtAt: statSync(buildIdFile).mtime.toISOString() };
}

/** Warns when .next was rebuilt while the benchmark ran (the server kept the build it loaded at start). */
export function warnIfRebuilt(build: BuildInfo): void {
  const now = existsSync(buildIdFile) ? readFileSync(buildIdFile, "utf8").trim() : "(missing)";
  if (now !== build.id)
    say(
      `WARNING: .next was rebuilt during the run (${build.id} → ${now}); the server kept serving the build it loaded at start.`,
    );
}

export function machineInfo(db: BenchDatabase) {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "?",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    postgres: db.pgVersion,
    postgresSource: db.source,
  };
}

/**
 * A fixed CPU workload (hashing and JSON, like the app's own work), timed in this process: the machine's
 * speed at the moment, lower is faster. This machine's speed drifts by 10–25% within minutes, so two runs'
 * CPU figures compare only with this beside them. The best of five rounds, so a moment's interruption
 * does not count.
 */
export function speedProbeMs(): number {
  const payload = {
    labels: { alertname: "HighLatency", service: "api", severity: "critical" },
    annotations: { summary: "p99 latency above 1 s" },
    startsAt: "2026-11-28T00:00:00Z",
  };
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const started = process.cpuUsage();
    let digest = "";
    for (let i = 0; i < 4000; i++) {
      const copy = JSON.parse(JSON.stringify({ ...payload, i, digest })) as { i: number };
      digest = createHash("sha256").update(String(copy.i)).update(digest).digest("hex");
    }
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return Math.round(best * 100) / 100;
}

export const describeMachine = (m: ReturnType<typeof machineInfo>) =>
  `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres} (${m.postgresSource})`;

// ---- Cleanup ----

const children = new Set<ChildProcess>();
const cleanupSteps: (() => Promise<void>)[] = [];
let load: LoadInstance | undefined;
let cleaningUp: Promise<void> | undefined;
let stopping = false;

/** Runs at cleanup, after the load generator and the child processes are stopped; the last registered runs first. */
export function onCleanup(step: () => Promise<void>): void {
  cleanupSteps.push(step);
}

export const isStopping = () => stopping;

export function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    load?.stop();
    await Promise.allSettled([...children].map((child) => stopProcess(child)));
    for (const step of cleanupSteps.reverse()) await step().catch((e: unknown) => say(`cleanup: ${String(e)}`));
  })();
  return cleaningUp;
}

/** Runs main() with cleanup on success, error and Ctrl-C. */
export async function runBenchmark(main: () => Promise<void>): Promise<void> {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stopping = true;
      say(`${signal}: stopping the processes and dropping the bench database…`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    await main();
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

// ---- Database ----

export interface BenchDatabase {
  /** The bench database's URL. */
  url: string;
  name: string;
  pgVersion: string;
  source: "embedded" | "DATABASE_URL";
  /** A connection to the server's maintenance database (not the bench database). */
  admin: postgres.Sql;
  /** The pids of the server's backends connected to the bench database. */
  backends(): Promise<Set<number>>;
}

/**
 * Creates vigil_bench_<pid> on the DATABASE_URL server (or on an embedded PostgreSQL in a temporary
 * directory when DATABASE_URL is unset) and applies the migrations. Cleanup drops it unless `keep`.
 */
export async function createBenchDatabase({ keep }: { keep: boolean }): Promise<BenchDatabase> {
  // Filled in as the steps succeed, so that cleanup undoes exactly what was done.
  const state: { embedded?: EmbeddedPostgres; tmpDir?: string; admin?: postgres.Sql; name?: string } = {};
  onCleanup(async () => {
    const { embedded, tmpDir, admin, name } = state;
    if (admin && name) {
      if (keep) say(`Keeping database ${name} (--keep-db); drop it with: drop database ${name} with (force)`);
      else
        await admin
          .unsafe(`drop database if exists ${name} with (force)`)
          .catch((e: unknown) => say(`could not drop ${name}: ${String(e)}`));
    }
    await admin?.end({ timeout: 5 }).catch(() => {});
    if (embedded && keep)
      say(
        `--keep-db: the embedded PostgreSQL keeps running (pid ${embedded.pid}, port ${embedded.port}, data in ${tmpDir})`,
      );
    else {
      await embedded?.stop().catch(() => {});
      if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    }
  });

  let serverUrl = process.env.DATABASE_URL?.trim() || undefined;
  if (serverUrl) {
    say(`Using the PostgreSQL server at DATABASE_URL (${redact(serverUrl)}).`);
  } else {
    say("No DATABASE_URL: starting an embedded PostgreSQL in a temporary directory…");
    state.tmpDir = mkdtempSync(path.join(os.tmpdir(), "vigil-bench-"));
    chmodSync(state.tmpDir, 0o755);
    state.embedded = await startEmbeddedPostgres({ dataDir: path.join(state.tmpDir, "pg"), onProgress: say });
    serverUrl = state.embedded.url("postgres");
  }
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  state.admin = admin;
  const [{ server_version: pgVersion } = { server_version: "?" }] = await admin<
    { server_version: string }[]
  >`show server_version`;
  const name = `vigil_bench_${process.pid}`;
  state.name = name;
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  say(`Created database ${name} (PostgreSQL ${pgVersion}); applying migrations…`);
  await migrateDatabase(url.toString());
  return {
    url: url.toString(),
    name,
    pgVersion,
    source: state.embedded ? "embedded" : "DATABASE_URL",
    admin,
    backends: async () =>
      new Set(
        (await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${name}`).map((r) => r.pid),
      ),
  };
}

// ---- Processes ----

/** A fresh API token value (the caller stores it with ensureBootstrapToken). */
export const newToken = () => `vgl_bench_${randomBytes(24).toString("base64url")}`;

/**
 * A fresh bench database holding an admin API token for the benchmark's requests, and `extraSql` (the
 * benchmark's own instrumentation) when given.
 */
export async function createBenchDatabaseWithToken(options: {
  keep: boolean;
  extraSql?: string;
}): Promise<{ bench: BenchDatabase; token: string }> {
  const bench = await createBenchDatabase({ keep: options.keep });
  const token = newToken();
  const setup = createDatabaseClient(bench.url, { max: 1, applicationName: "vigil-bench" });
  try {
    await ensureBootstrapToken(setup.db, token, new Date());
    if (options.extraSql) await setup.sql.unsafe(options.extraSql);
  } finally {
    await setup.close();
  }
  return { bench, token };
}

/**
 * The environment of the app's processes in a benchmark. The web server refuses to start without sign-in
 * settings; the benchmarks authenticate with an API token only, so the identity provider is never
 * contacted: a placeholder address is enough.
 */
export function appEnv(databaseUrl: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    APP_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    AUTH_SECRET: randomBytes(32).toString("base64"),
    OIDC_ISSUER: "http://127.0.0.1:9/no-identity-provider-in-the-benchmark",
    OIDC_CLIENT_ID: "vigil-bench",
    OIDC_CLIENT_SECRET: "not-used",
    ...extra,
  };
}

/**
 * `next start` of the production build, in its own process group; resolves once /api/health answers 200.
 * Through scripts/web-server.mjs as `npm start` runs it: WEB_CONCURRENCY in `env` (the benchmark's own
 * environment passes through) runs that many web processes on the port; unset, one, in that very process.
 */
export async function startWebServer(options: {
  port: number;
  env: NodeJS.ProcessEnv;
  logFile: string;
  nodeFlags?: string[];
}): Promise<ChildProcess> {
  const { port, env, logFile, nodeFlags = [] } = options;
  // As `npm start` and the image run it: idle keep-alive connections last 65 s (Node's default, 5 s, lets a
  // client reuse a connection the server is closing, and it gets ECONNRESET).
  const web = startDetached(
    process.execPath,
    [
      ...nodeFlags,
      path.join(root, "scripts/web-server.mjs"),
      path.join(root, "node_modules/next/dist/bin/next"),
      "start",
      "-p",
      String(port),
      "--keepAliveTimeout",
      "65000",
    ],
    env,
    logFile,
  );
  await waitForHealthy(`http://127.0.0.1:${port}/api/health`, web, logFile);
  return web;
}

/** --profile: node flags for a V8 CPU profile of the web server over the whole run (bench/results/). */
export const profileFlags = (enabled: boolean, name: string, stamp: string): string[] =>
  enabled ? ["--cpu-prof", `--cpu-prof-dir=${resultsDir}`, `--cpu-prof-name=${name}-${stamp}.server.cpuprofile`] : [];

/** Each role's CPU per unit of work ("server 3.10 ms, postgres backends 2.90 ms"), at `unitsPerSec`. */
export const cpuPerUnit = (cpu: CpuSample | null, unitsPerSec: number): string =>
  Object.entries(cpu?.roles ?? {})
    .map(([role, pct]) => `${role} ${((pct * 10) / unitsPerSec).toFixed(2)} ms`)
    .join(", ") || "n/a";

/** Starts a process in its own process group (so stopping it stops all it started, and Ctrl-C reaches only us); cleanup stops it. */
export function startDetached(command: string, argv: string[], env: NodeJS.ProcessEnv, logFile?: string): ChildProcess {
  const child = spawn(command, argv, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.add(child);
  const log = logFile ? createWriteStream(logFile) : undefined;
  const tail: string[] = [];
  const onData = (chunk: Buffer) => {
    log?.write(chunk);
    tail.push(chunk.toString());
    if (tail.length > 50) tail.shift();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  child.once("exit", () => log?.end());
  (child as ChildProcess & { tail?: string[] }).tail = tail;
  return child;
}

/** The last lines a process started with startDetached printed. */
export const tailOf = (child: ChildProcess) =>
  ((child as ChildProcess & { tail?: string[] }).tail ?? []).join("").trim().split("\n").slice(-15).join("\n");

export const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export async function waitForHealthy(url: string, child: ChildProcess, logFile?: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (exited(child)) {
      throw new Error(
        `the process serving ${url} exited early (${child.exitCode ?? child.signalCode})${logFile ? `; see ${logFile}` : ""}\n${tailOf(child)}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      last = `${response.status} ${(await response.text()).slice(0, 200)}`;
      if (response.status === 200) return;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  throw new Error(
    `${url} did not answer 200 within 60 s (last answer: ${last})${logFile ? `; see ${logFile}` : ""}\n${tailOf(child)}`,
  );
}

/** SIGTERM to the process group, SIGKILL after 10 s. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child) return;
  children.delete(child);
  if (!child.pid || exited(child)) return;
  const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
  await done;
  clearTimeout(timer);
  signalGroup("SIGKILL"); // anything the leader left behind in its group
}

// ---- Load ----

/** One autocannon run; Ctrl-C stops it (and the promise rejects). */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    load = autocannon(options, (error, result) => {
      load = undefined;
      if (stopping) reject(new Error("interrupted"));
      else if (error) reject(error);
      else resolve(result);
    });
  });
}

// ---- CPU ----

export interface CpuSample {
  /** Share of all cores' time not idle, in %. */
  busyPct: number;
  /** CPU used by processes other than the benchmark's, in % of one core. */
  foreignPct: number;
  /** The busiest of those (pid, name, % of one core). */
  top: string[];
  /** CPU used by the benchmark's own processes, by role (server, postgres backends, load generator), in % of one core. */
  roles: Record<string, number>;
}

/** The benchmark's role of a process (by pid and process group), or null for anything else on the machine. */
export type Classify = (pid: number, group: number) => string | null;

export const describeCpu = (s: CpuSample | null) =>
  s
    ? `${s.busyPct}% of all cores busy, others ${Math.round(s.foreignPct)}% of a core${s.top.length ? ` (${s.top.join(", ")})` : ""}`
    : "n/a";

/** Busy = more than a tenth of one core used by others (processes that are not the benchmark's). */
export const disturbed = (before: CpuSample | null, during: CpuSample | null) =>
  (before?.foreignPct ?? 0) > 10 || (during?.foreignPct ?? 0) > 10;

/** Starts watching CPU use (Linux /proc); finish() says who used it, classify() telling the benchmark's own processes. */
export function startCpuProbe(): { finish(classify: Classify): CpuSample | null } {
  if (!existsSync("/proc/stat")) return { finish: () => null };
  const total = () => {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user + nice + system: time spent for processes (irq/softirq/steal are left out).
    return {
      idle: (fields[3] ?? 0) + (fields[4] ?? 0),
      all: fields.reduce((a, b) => a + b, 0),
      processes: (fields[0] ?? 0) + (fields[1] ?? 0) + (fields[2] ?? 0),
    };
  };
  const perProcess = () => {
    const out = new Map<number, { name: string; group: number; ticks: number }>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        out.set(Number(entry), {
          name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
          group: Number(rest[2]),
          ticks: Number(rest[11]) + Number(rest[12]),
        });
      } catch {
        // gone meanwhile
      }
    }
    return out;
  };
  const started = performance.now();
  const a = total();
  const pa = perProcess();
  return {
    finish(classify) {
      const seconds = (performance.now() - started) / 1000;
      const b = total();
      const pb = perProcess();
      const ticksPerSecond = 100; // USER_HZ on Linux
      const used = [...pb.entries()]
        .map(([pid, p]) => ({
          pid,
          name: p.name,
          role: classify(pid, p.group),
          pct: (100 * (p.ticks - (pa.get(pid)?.ticks ?? 0))) / ticksPerSecond / seconds,
        }))
        .filter((p) => p.pct > 0);
      const others = used.filter((p) => p.role === null);
      const busiest = (list: typeof used) =>
        list
          .filter((p) => p.pct >= 5)
          .sort((x, y) => y.pct - x.pct)
          .slice(0, 5)
          .map((p) => `${p.pid} ${p.name} ${Math.round(p.pct)}%`);
      // Processes that came and went within the sample are missing from /proc by now, so also count
      // the machine's process time that our own processes do not account for.
      const roles: Record<string, number> = {};
      for (const p of used) if (p.role !== null) roles[p.role] = (roles[p.role] ?? 0) + p.pct;
      const ownPct = Object.values(roles).reduce((sum, pct) => sum + pct, 0);
      const unaccountedPct = (100 * (b.processes - a.processes)) / ticksPerSecond / seconds - ownPct;
      const othersPct = others.reduce((sum, p) => sum + p.pct, 0);
      return {
        busyPct: b.all === a.all ? 0 : Math.round(100 * (1 - (b.idle - a.idle) / (b.all - a.all)) * 10) / 10,
        foreignPct: Math.round(Math.max(othersPct, unaccountedPct) * 10) / 10,
        top: busiest(others),
        roles: Object.fromEntries(Object.entries(roles).map(([role, pct]) => [role, Math.round(pct * 10) / 10])),
      };
    },
  };
}

/** Waits (up to waitIdleSeconds; 0: not at all) until processes other than ours use less than a tenth of a core. */
export async function waitForIdle(ours: Classify, waitIdleSeconds: number): Promise<CpuSample | null> {
  const deadline = Date.now() + waitIdleSeconds * 1000;
  let announced = false;
  for (;;) {
    const probe = startCpuProbe();
    await sleep(2000);
    const sample = probe.finish(ours);
    if (!sample || !disturbed(sample, null) || Date.now() >= deadline) {
      if (sample && disturbed(sample, null)) say(`  still busy after waiting ${waitIdleSeconds} s; measuring anyway`);
      return sample;
    }
    if (!announced)
      say(`  the machine is busy (${describeCpu(sample)}); waiting up to ${waitIdleSeconds} s for it to go quiet…`);
    announced = true;
  }
}

/** Our processes by role: the load generator (this process), the process groups given, the bench database's backends. */
export function classifier(groups: Record<string, number | undefined>, backends: Set<number> = new Set()): Classify {
  return (pid, group) => {
    if (pid === process.pid) return "load generator";
    for (const [role, leader] of Object.entries(groups)) if (leader !== undefined && group === leader) return role;
    return backends.has(pid) ? "postgres backends" : null;
  };
}

/** Makes sure bench/results exists. */
export function ensureResultsDir(): void {
  mkdirSync(resultsDir, { recursive: true });
}

/** Percentiles of a list of numbers (nearest rank). */
export function percentiles(values: number[]): {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
} {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : NaN;
  return {
    count: sorted.length,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN,
  };
}

/**
 * Samples what the bench database's active backends are doing, every intervalMs: counts of
 * `wait_event_type:wait_event` ("CPU" when a backend is running or waiting for the CPU, which PostgreSQL
 * does not tell apart). Shows where queries wait: locks, WAL flushes, the client.
 */
export function startWaitSampler(
  db: BenchDatabase,
  intervalMs = 100,
): { finish(): Promise<{ samples: number; activeBackends: number; waits: Record<string, number> }> } {
  const waits: Record<string, number> = {};
  let samples = 0;
  let active = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await db.admin<{ wait: string | null }[]>`
        select coalesce(wait_event_type || ':' || wait_event, 'CPU') as wait from pg_stat_activity
        where datname = ${db.name} and state = 'active' and pid <> pg_backend_pid() and backend_type = 'client backend'`.catch(
        () => [],
      );
      samples++;
      active += rows.length;
      for (const r of rows) waits[r.wait ?? "CPU"] = (waits[r.wait ?? "CPU"] ?? 0) + 1;
      await sleep(intervalMs);
    }
  })();
  return {
    async finish() {
      running = false;
      await loop;
      return {
        samples,
        activeBackends: samples ? active / samples : 0,
        waits: Object.fromEntries(Object.entries(waits).sort((a, b) => b[1] - a[1])),
      };
    },
  };
}

/** "Lock:object 41%, CPU 30%, …": the share of sampled active backends per wait. */
export const describeWaits = (w: { waits: Record<string, number> }) => {
  const total = Object.values(w.waits).reduce((a, b) => a + b, 0);
  return total
    ? Object.entries(w.waits)
        .slice(0, 6)
        .map(([k, n]) => `${k} ${Math.round((100 * n) / total)}%`)
        .join(", ")
    : "none";
};

/** ~40 services, each owned by one of 8 teams; earlier services in the list get more incidents. */
export const services: [service: string, team: string][] = [
  ["checkout", "payments"],
  ["payments", "payments"],
  ["auth", "identity"],
  ["search", "discovery"],
  ["orders", "commerce"],
  ["api-gateway", "platform"],
  ["edge", "platform"],
  ["notifications", "content"],
  ["inventory", "commerce"],
  ["recommendations", "discovery"],
  ["media", "content"],
  ["events-ingest", "data"],
  ["cart", "commerce"],
  ["catalog", "commerce"],
  ["billing", "payments"],
  ["sessions", "identity"],
  ["orders-db", "platform"],
  ["logging", "observability"],
  ["metrics", "observability"],
  ["kafka", "data"],
  ["batch-runner", "data"],
  ["email", "content"],
  ["sms", "content"],
  ["fraud", "payments"],
  ["ledger", "payments"],
  ["profile", "identity"],
  ["identity-provider", "identity"],
  ["reviews", "discovery"],
  ["shipping", "commerce"],
  ["tracking", "commerce"],
  ["warehouse", "commerce"],
  ["pricing", "commerce"],
  ["promotions", "discovery"],
  ["cdn", "platform"],
  ["dns", "platform"],
  ["tracing", "observability"],
  ["status-page", "platform"],
  ["k8s-control-plane", "platform"],
  ["ci-runners", "platform"],
  ["etl", "data"],
];

/** A PostgreSQL array literal of quoted strings, for seeding statements. */
export const sqlArray = (values: string[]) => `array[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")}]`;
