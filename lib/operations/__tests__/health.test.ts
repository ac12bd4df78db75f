// GET /api/health, the load balancers' question: is the database answering, and is a worker beating? Only a
// database that does not answer makes it 503; a missing or stale worker is reported (status "degraded")
// while the web server keeps taking alerts and changes.
import { createServer, type AddressInfo, type Socket } from "node:net";
import { beforeEach, describe, expect, it } from "vitest";
import { createDatabaseClient } from "@/db/client";
import { loadConfig } from "@/lib/env";
import { beat } from "@/lib/jobs/worker-liveness";
import { createLogger } from "@/lib/observability/logger";
import { getRuntime, setRuntime } from "@/lib/runtime";
import { useTestDatabase } from "@/test/database";
import { call, TEST_APP_ORIGIN, TEST_AUTH_SECRET, useTestRuntime } from "@/test/runtime";
import * as healthRoute from "@/app/api/health/route";
import { withDatabaseDown } from "@/test/records";

const t = useTestDatabase();
useTestRuntime(t);

const path = "/api/health";
const get = () => call(healthRoute.GET, "GET", path);

/** One worker process whose last heartbeat was `ageMs` ago. */
async function workerLastSeen(ageMs: number): Promise<void> {
  await beat(t.db, { id: crypto.randomUUID(), hostname: "worker-1", pid: 4242 }, [], new Date(Date.now() - ageMs));
}

/** The test runtime, but with WORKER_STALE_AFTER set as an operator would. */
function withStaleWindow(window: string): void {
  const { database, logger } = getRuntime();
  const config = loadConfig({
    DATABASE_URL: t.url,
    LOG_LEVEL: "silent",
    APP_URL: TEST_APP_ORIGIN,
    AUTH_SECRET: TEST_AUTH_SECRET,
    WORKER_STALE_AFTER: window,
  });
  setRuntime({ config, database, logger });
}

beforeEach(async () => {
  await t.sql`delete from worker_processes`;
});

describe("GET /api/health", () => {
  it("reads the stale window from WORKER_STALE_AFTER (60 s unless set)", () => {
    expect(getRuntime().config.worker.staleAfterMs).toBe(60_000);
    expect(loadConfig({ DATABASE_URL: t.url, WORKER_STALE_AFTER: "30s" }).worker.staleAfterMs).toBe(30_000);
  });

  it("answers 200 ok with the database up and a worker that beat just now", async () => {
    await workerLastSeen(1_000);
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "ok", database: "ok", worker: "ok" });
  });

  it("reports no worker as `none`, degraded but still 200", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "degraded", database: "ok", worker: "none" });
  });

  it("reports a worker whose last beat is older than the stale window as `stale`, degraded but still 200", async () => {
    const staleAfterMs = getRuntime().config.worker.staleAfterMs;
    await workerLastSeen(staleAfterMs + 5_000);
    const res = await get();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "degraded", database: "ok", worker: "stale" });
  });

  it("measures staleness against the configured window, not a fixed one", async () => {
    const healthy = getRuntime();
    await workerLastSeen(45_000);
    try {
      withStaleWindow("30s");
      expect(await (await get()).json()).toEqual({ status: "degraded", database: "ok", worker: "stale" });
      withStaleWindow("90s");
      expect(await (await get()).json()).toEqual({ status: "ok", database: "ok", worker: "ok" });
    } finally {
      setRuntime(healthy);
    }
  });

  it("judges by the most recent beat when a crashed worker's row is still there", async () => {
    const staleAfterMs = getRuntime().config.worker.staleAfterMs;
    await workerLastSeen(staleAfterMs * 10);
    await workerLastSeen(1_000);
    expect(await (await get()).json()).toEqual({ status: "ok", database: "ok", worker: "ok" });
  });

  it("answers 503 with the database down when the database does not answer", async () => {
    await withDatabaseDown(async () => {
      const res = await get();
      expect(res.status).toBe(503);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({ status: "degraded", database: "down", worker: "unknown" });
    });
  });

  it("answers 503 with the database down when the database accepts the connection but never answers", async () => {
    // A server that takes the TCP connection and says nothing: the check's own timeout (2 s) must decide.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `postgres://nobody@127.0.0.1:${(silent.address() as AddressInfo).port}/vigil`;
    const healthy = getRuntime();
    const hanging = createDatabaseClient(url, { max: 1 });
    setRuntime({ config: loadConfig({ DATABASE_URL: url }), database: hanging, logger: createLogger("silent") });
    try {
      const started = performance.now();
      const res = await get();
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "degraded", database: "down", worker: "unknown" });
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      setRuntime(healthy);
      const closed = new Promise((resolve) => silent.close(resolve));
      for (const socket of sockets) socket.destroy();
      await hanging.sql.end({ timeout: 0 });
      await closed;
    }
  });
});
