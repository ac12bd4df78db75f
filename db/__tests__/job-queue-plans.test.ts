// graphile-worker's add_jobs runs with generic plans (db/migrate.ts): left to PostgreSQL it planned its job
// insert again on every call, the larger part of what enqueuing a job cost. A graphile-worker upgrade that
// replaces the function drops the setting, so every migration run puts it back.
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
  it("plans generically once migrated, and again after an upgrade replaced it, with the setting once", async () => {
    expect(await addJobsSettings()).toEqual([["plan_cache_mode=force_generic_plan"]]);

    // What `create or replace function` in a graphile-worker migration leaves behind.
    await t.sql`alter function graphile_worker.add_jobs(graphile_worker.job_spec[], boolean) reset all`;
    expect(await addJobsSettings()).toEqual([null]);
    await migrateDatabase(t.url);
    await migrateDatabase(t.url);
    expect(await addJobsSettings()).toEqual([["plan_cache_mode=force_generic_plan"]]);

    // Jobs are still added as before.
    const [job] = await t.sql<{ id: string }[]>`
      select id from graphile_worker.add_job(identifier => 'vigil.test', payload => json_build_object('n', 1))`;
    expect(job?.id).toBeTruthy();
  });
});
