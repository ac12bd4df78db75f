// Enqueues a graphile-worker job on the caller's connection, so a job of a transaction that rolls back
// never runs and a committed change never misses its job.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

export interface EnqueueOptions {
  /** Replaces a not-yet-running job with the same key instead of adding another. */
  jobKey?: string;
  /** With a job key: `replace` (the default) updates the waiting job's run time too; `preserve_run_at` keeps it. */
  jobKeyMode?: "replace" | "preserve_run_at";
  runAt?: Date;
  maxAttempts?: number;
  /** Lower runs first among due jobs (graphile-worker's default is 0): see lib/escalation/job-names.ts. */
  priority?: number;
}

export async function enqueueJob(
  db: DbOrTx,
  name: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<void> {
  // drizzle hands json parameters to postgres.js as text it has already serialised, so the payload is
  // stringified here exactly once (the job test checks that a task receives an object).
  await db.execute(sql`select graphile_worker.add_job(
    identifier => ${name}::text,
    payload => ${JSON.stringify(payload)}::json,
    run_at => ${options.runAt?.toISOString() ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? 25}::int,
    job_key => ${options.jobKey ?? null}::text,
    job_key_mode => ${options.jobKeyMode ?? "replace"}::text,
    priority => ${options.priority ?? 0}::int
  )`);
}
