// Liveness of what the product depends on, for /api/health and load balancers. Only an unreachable
// database makes the web server unhealthy (503); a stale worker is reported, since the web server can
// still take alerts and changes — their notifications wait in the queue.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { workerHealth, type WorkerHealth } from "../jobs/worker-liveness";

export interface HealthReport {
  status: "ok" | "degraded";
  database: "ok" | "down";
  worker: WorkerHealth | "unknown";
}

export async function checkHealth(db: DbOrTx, workerStaleAfterMs: number, timeoutMs = 2000): Promise<HealthReport> {
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), timeoutMs).unref());
  const database = await Promise.race([db.execute(sql`select 1`).then(() => "ok" as const), timeout]).catch(
    () => "down" as const,
  );
  if (database !== "ok") return { status: "degraded", database: "down", worker: "unknown" };
  const worker = await workerHealth(db, workerStaleAfterMs, new Date()).catch(() => "unknown" as const);
  return { status: worker === "ok" ? "ok" : "degraded", database: "ok", worker };
}
