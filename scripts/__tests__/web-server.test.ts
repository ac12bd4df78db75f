// scripts/web-server.mjs with a stand-in for Next's server (test/web-process-stand-in.ts): WEB_CONCURRENCY
// processes share the port, one /metrics sums them, a crashed process is replaced, SIGTERM stops all, and
// a bad WEB_CONCURRENCY is refused by name. e2e/npm-start.spec.ts runs it with the real `next start`.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "@/db/embedded-postgres";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();
const root = path.resolve(import.meta.dirname, "../..");
const started: ChildProcess[] = [];

interface Server {
  child: ChildProcess;
  output: () => string;
  get: (path: string) => Promise<{ status: number; text: string }>;
}

async function startWebServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/web-server.mjs", "test/web-process-stand-in.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: t.url, PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  // A fresh connection per request, so that the cluster hands requests round the processes.
  const get = async (p: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${p}`, { headers: { connection: "close" } });
    return { status: res.status, text: await res.text() };
  };
  return { child, output: () => output, get };
}

async function pidsAnswering(server: Server, requests: number): Promise<Set<string>> {
  const pids = new Set<string>();
  for (let i = 0; i < requests; i++) pids.add((await server.get("/")).text);
  return pids;
}

async function untilServing(server: Server): Promise<void> {
  await expect
    .poll(
      () =>
        server.get("/metrics").then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 20_000 },
    )
    .toBe(200);
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("the web server with WEB_CONCURRENCY", () => {
  it("serves from that many processes on one port, and one /metrics sums their counters", async () => {
    const server = await startWebServer({ WEB_CONCURRENCY: "2" });
    await untilServing(server);
    // Every process reports once it is up; until then the sum would miss it.
    await expect.poll(async () => (await pidsAnswering(server, 4)).size, { timeout: 20_000 }).toBe(2);
    const before = counted((await server.get("/metrics")).text);
    const pids = await pidsAnswering(server, 10);
    expect(pids.size).toBe(2);
    expect(pids).not.toContain(String(server.child.pid));
    const metrics = (await server.get("/metrics")).text;
    expect(counted(metrics)).toBe(before + 10);
    // Node's own metrics are summed or chosen by prom-client's rules, one series each; the gauges read from
    // the database are read once, not summed.
    expect(metrics.match(/^nodejs_version_info\{/gm)).toHaveLength(1);
    // (Each process that was scraped once has set them: three scrapes in a row reach both.)
    for (let i = 0; i < 3; i++) expect((await server.get("/metrics")).text).toMatch(/^vigil_database_up 1$/m);
    expect(metrics.match(/^# TYPE vigil_open_incidents gauge$/gm)).toHaveLength(1);
  });

  it("replaces a process that crashes, and says so", async () => {
    const server = await startWebServer({ WEB_CONCURRENCY: "2" });
    await untilServing(server);
    await expect.poll(async () => (await pidsAnswering(server, 4)).size, { timeout: 20_000 }).toBe(2);
    await server.get("/exit").catch(() => undefined);
    await expect
      .poll(() => server.output(), { timeout: 10_000 })
      .toMatch(/exited unexpectedly \(code 3\); starting another/);
    await expect.poll(async () => (await pidsAnswering(server, 4)).size, { timeout: 20_000 }).toBe(2);
  });

  it("stops when a process exits before it ever served, rather than starting it again and again", async () => {
    const server = await startWebServer({ WEB_CONCURRENCY: "2", STAND_IN_FAIL_AT_START: "1" });
    expect(await exited(server.child)).toBe(4);
    expect(server.output()).toMatch(/exited before serving \(code 4\); stopping/);
  });

  it("stops every process on SIGTERM", async () => {
    const server = await startWebServer({ WEB_CONCURRENCY: "2" });
    await untilServing(server);
    server.child.kill("SIGTERM");
    expect(await exited(server.child)).toBe(0);
    await expect(server.get("/")).rejects.toThrow();
  });

  it("runs the server in its own process when WEB_CONCURRENCY is empty or 0", async () => {
    for (const value of ["", "0", "00"]) {
      const server = await startWebServer({ WEB_CONCURRENCY: value });
      await untilServing(server);
      expect(await pidsAnswering(server, 3)).toEqual(new Set([String(server.child.pid)]));
      server.child.kill("SIGTERM");
      await exited(server.child);
    }
  });

  it("refuses a WEB_CONCURRENCY that is not a whole number, naming the setting", async () => {
    const server = await startWebServer({ WEB_CONCURRENCY: "two" });
    expect(await exited(server.child)).toBe(1);
    expect(server.output()).toContain(
      'WEB_CONCURRENCY: a whole number of web processes (0 or unset: the default), not "two"',
    );
  });
});

/** The stand-in's request counter in an exposition. */
function counted(exposition: string): number {
  return Number(/^vigil_http_unhandled_errors_total\{route="\/stand-in"\} (\d+)$/m.exec(exposition)?.[1] ?? 0);
}
