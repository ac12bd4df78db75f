// Jobs enqueued by the statement whose change causes them, all in one call: each part of the statement
// names its jobs as rows of `graphile_worker.job_spec`, and one `graphile_worker.add_jobs` takes them.
// add_jobs plans its five inner statements afresh on every call, which costs more than its inserts, so a
// new incident's deliver, remediation and escalation jobs in one call save that much (bench/README.md).
import { sql, type SQL } from "drizzle-orm";

export interface JobSpec {
  /** The task's name (a job definition in lib/jobs/index.ts). */
  identifier: string;
  /** A json expression. */
  payload: SQL;
  /** A timestamptz expression; now when left out. */
  runAt?: SQL;
  /** graphile-worker's default (25) when left out. */
  maxAttempts?: number;
  /** A text expression: replaces a waiting job with the same key (add_job's `replace` mode). */
  jobKey?: SQL;
  /** Lower runs first among due jobs (lib/jobs/enqueue.ts). */
  priority?: number;
}

/** One job as a `graphile_worker.job_spec` value, for a select that `addJobsSql` reads. */
export const jobSpec = (job: JobSpec): SQL =>
  sql`row(${job.identifier}::text, ${job.payload}, null, ${job.runAt ?? sql`null`}::timestamptz,
          ${job.maxAttempts ?? null}::smallint, ${job.jobKey ?? sql`null`}::text, ${job.priority ?? null}::smallint,
          null)::graphile_worker.job_spec`;

/**
 * Enqueues the jobs the selects return (each row one column, `spec`, made by jobSpec) in one add_jobs call,
 * in the selects' order, as a row source for a CTE: a row per job. With no job at all add_jobs is not
 * called, so no worker is woken for nothing. A key named twice is enqueued once, as its last spec says
 * (as two add_job calls would leave it): add_jobs refuses to upsert one key twice in a call.
 */
export function addJobsSql(selects: readonly SQL[]): SQL {
  if (selects.length === 0) return sql`select null from (select) none where false`;
  return sql`select added.id
               from (select array_agg(spec order by nth) as specs
                       from (select spec, nth, row_number() over (partition by (spec).job_key order by nth desc) as nth_of_key
                               from (select spec, row_number() over () as nth
                                       from (${sql.join([...selects], sql` union all `)}) wanted) numbered) keyed
                      where (spec).job_key is null or nth_of_key = 1) batch,
                    lateral graphile_worker.add_jobs(batch.specs, false) added
              where batch.specs is not null`;
}
