// Liveness of what the product depends on, for /api/health and load balancers.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

export interface HealthReport {
  status: "ok" | "degraded";
  database: "ok" | "down";
}

export async function checkHealth(db: DbOrTx, timeoutMs = 2000): Promise<HealthReport> {
  const database = await Promise.race([
    db.execute(sql`select 1`).then(() => "ok" as const),
    new Promise<"down">((resolve) => setTimeout(() => resolve("down"), timeoutMs).unref()),
  ]).catch(() => "down" as const);
  return { status: database === "ok" ? "ok" : "degraded", database };
}
