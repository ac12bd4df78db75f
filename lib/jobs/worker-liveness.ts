// Worker processes say they are alive every few seconds. That lets /api/health report a stale worker,
// and lets any live worker free the jobs a crashed one still holds: graphile-worker would keep them
// locked for four hours; here they are back in the queue once the crashed process's heartbeat is older
// than WORKER_STALE_AFTER.
import { and, desc, lt, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { workerProcesses } from "@/db/schema";

export interface WorkerProcessInfo {
  id: string;
  hostname: string;
  pid: number;
}

export async function beat(db: DbOrTx, worker: WorkerProcessInfo, workerIds: string[], now: Date): Promise<void> {
  await db
    .insert(workerProcesses)
    .values({ ...worker, workerIds, startedAt: now, lastSeenAt: now })
    .onConflictDoUpdate({ target: workerProcesses.id, set: { workerIds, lastSeenAt: now } });
}

export async function leave(db: DbOrTx, id: string): Promise<void> {
  await db.delete(workerProcesses).where(sql`${workerProcesses.id} = ${id}`);
}

/** Frees the jobs of processes whose heartbeat stopped; returns the ids of the processes it buried. */
export async function recoverCrashedWorkers(
  db: DbOrTx,
  staleAfterMs: number,
  now: Date,
  selfId: string,
): Promise<string[]> {
  const threshold = new Date(now.getTime() - staleAfterMs);
  return db.transaction(async (tx) => {
    const stale = await tx
      .select()
      .from(workerProcesses)
      .where(and(lt(workerProcesses.lastSeenAt, threshold), ne(workerProcesses.id, selfId)))
      .for("update", { skipLocked: true });
    for (const dead of stale) {
      if (dead.workerIds.length > 0)
        await tx.execute(
          sql`select graphile_worker.force_unlock_workers(${`{${dead.workerIds.map((w) => `"${w}"`).join(",")}}`}::text[])`,
        );
      await tx.delete(workerProcesses).where(sql`${workerProcesses.id} = ${dead.id}`);
    }
    return stale.map((d) => d.id);
  });
}

export type WorkerHealth = "ok" | "stale" | "none";

export async function workerHealth(db: DbOrTx, staleAfterMs: number, now: Date): Promise<WorkerHealth> {
  const [latest] = await db
    .select({ lastSeenAt: workerProcesses.lastSeenAt })
    .from(workerProcesses)
    .orderBy(desc(workerProcesses.lastSeenAt))
    .limit(1);
  if (!latest) return "none";
  return now.getTime() - latest.lastSeenAt.getTime() <= staleAfterMs ? "ok" : "stale";
}

/** Jobs ready to run but not yet picked up, and how long the oldest has waited. */
export async function queueBacklog(db: DbOrTx): Promise<{ depth: number; oldestAgeSeconds: number }> {
  const [row] = await db.execute<{ depth: number; oldest: number | null }>(sql`
    select count(*)::int as depth, extract(epoch from now() - min(run_at))::float8 as oldest
      from graphile_worker._private_jobs
     where locked_at is null and run_at <= now() and attempts < max_attempts`);
  return { depth: row?.depth ?? 0, oldestAgeSeconds: Math.max(0, row?.oldest ?? 0) };
}
