// graphile-worker's add_jobs plans its statements for the jobs at hand (db/migrate.ts): left to PostgreSQL,
// a connection kept a generic plan that scans the whole job table, and a queue grown during a worker
// outage made every new job dearer. A graphile-worker upgrade that replaces the function drops the
// setting, so every migration run puts it back.
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { migrateDatabase } from "@/db/migrate";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();

const addJobsSettings = async () =>
  (
    await t.sql<{ settings: string[] | null }[]>`
      select p.proconfig as settings from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'graphile_worker' and p.proname = 'add_jobs'`
  ).map((row) => row.settings);

describe("the job queue's add_jobs", () => {
  it("plans for its own jobs once migrated, and again after an upgrade replaced it, with the setting once", async () => {
    expect(await addJobsSettings()).toEqual([["plan_cache_mode=force_custom_plan"]]);

    // What `create or replace function` in a graphile-worker migration leaves behind.
    await t.sql`alter function graphile_worker.add_jobs(graphile_worker.job_spec[], boolean) reset all`;
    expect(await addJobsSettings()).toEqual([null]);
    await migrateDatabase(t.url);
    await migrateDatabase(t.url);
    expect(await addJobsSettings()).toEqual([["plan_cache_mode=force_custom_plan"]]);
  });

  it("finds a running job's key by its index after jobs piled up, in a connection that planned it before", async () => {
    const plans: string[] = [];
    // One connection, whose kept plans are the ones under test. auto_explain reports the function's own
    // statements as notices.
    const sql = postgres(t.url, { max: 1, onnotice: (notice) => plans.push(notice.message ?? "") });
    try {
      await sql`load 'auto_explain'`;
      await sql`select set_config('auto_explain.log_min_duration', '0', false),
                       set_config('auto_explain.log_nested_statements', 'on', false),
                       set_config('auto_explain.log_level', 'notice', false)`;
      const add = (key: string) =>
        sql`select graphile_worker.add_job(identifier => 'vigil.test', payload => '{}'::json, job_key => ${key})`;
      // The queue as a worker that keeps up leaves it, its statistics fresh, while this connection plans.
      for (let i = 0; i < 8; i++) await add(`idle:${i}`);
      await sql`analyze graphile_worker._private_jobs`;
      for (let i = 0; i < 8; i++) await add(`planned:${i}`);
      // Then an outage: jobs pile up faster than the statistics follow.
      await sql`insert into graphile_worker._private_jobs (task_id, payload, key)
                select (select id from graphile_worker._private_tasks where identifier = 'vigil.test'), '{}', 'waiting:' || n
                  from generate_series(1, 5000) n`;
      plans.length = 0;
      await add("after-outage");
      const clearKey = plans.find((plan) => plan.includes("key = null")); // the update before the insert
      expect(clearKey).toMatch(/Index Scan using \w+ on _private_jobs/);
      expect(clearKey).not.toMatch(/Seq Scan on _private_jobs/);
    } finally {
      await sql.end();
    }
  });

  it("still replaces a waiting job by its key, and leaves a running one be", async () => {
    const add = async (n: number) =>
      (
        await t.sql<{ id: string }[]>`
          select id from graphile_worker.add_job(identifier => 'vigil.test', payload => json_build_object('n', ${n}::int),
                                                 job_key => 'plans:1')`
      )[0]!.id;
    const first = await add(1);
    expect(await add(2)).toBe(first); // waiting: replaced in place
    await t.sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'test' where id = ${first}`;
    const second = await add(3); // running: its key is cleared and a new job takes it
    expect(second).not.toBe(first);
    const keys = await t.sql<{ id: string; key: string | null }[]>`
      select id, key from graphile_worker._private_jobs where id in (${first}, ${second}) order by id`;
    expect(keys).toEqual([
      { id: first, key: null },
      { id: second, key: "plans:1" },
    ]);
  });
});
