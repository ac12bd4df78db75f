// Runs the queued jobs the way the worker does (graphile-worker's runOnce with the real task list), until
// nothing is due within `settleMs` — enough for short retry delays in tests.
import { Logger, runOnce } from "graphile-worker";
import { jobDefinitions } from "@/lib/jobs";
import { buildTaskList } from "@/lib/jobs/task-list";
import { createLogger } from "@/lib/observability/logger";
import { getRuntime } from "@/lib/runtime";
import type { TestDatabase } from "./database";

const quiet = new Logger(() => () => {});

export async function drainJobs(
  t: TestDatabase,
  options: { settleMs?: number; maxRounds?: number } = {},
): Promise<void> {
  const settleMs = options.settleMs ?? 3000;
  // The configuration the test installed (useTestRuntime), on this test's database.
  const taskList = buildTaskList(jobDefinitions, {
    db: t.db,
    config: getRuntime().config,
    logger: createLogger("silent"),
  });
  for (let round = 0; round < (options.maxRounds ?? 200); round++) {
    await runOnce({ connectionString: t.url, taskList, logger: quiet, noHandleSignals: true });
    const [next] = await t.sql<{ wait_ms: number | null }[]>`
      select extract(epoch from (min(run_at) - now())) * 1000 as wait_ms
        from graphile_worker._private_jobs where locked_at is null and attempts < max_attempts`;
    if (next?.wait_ms === null || next?.wait_ms === undefined || next.wait_ms > settleMs) return;
    if (next.wait_ms > 0) await new Promise((r) => setTimeout(r, next.wait_ms! + 20));
  }
  throw new Error("jobs kept coming back: gave up");
}

/** The jobs waiting in the queue, by task name, with their payloads. */
export async function queuedJobs(t: TestDatabase): Promise<{ task: string; payload: Record<string, unknown> }[]> {
  return t.sql<{ task: string; payload: Record<string, unknown> }[]>`
    select tasks.identifier as task, jobs.payload
      from graphile_worker._private_jobs jobs join graphile_worker._private_tasks tasks on tasks.id = jobs.task_id
     order by jobs.id`;
}
