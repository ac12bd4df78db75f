// Applies drizzle's committed migrations and graphile-worker's own schema. Safe to run repeatedly and
// from several replicas at once (an advisory lock serialises them).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { Logger, runMigrations as runWorkerMigrations } from "graphile-worker";
import { createDatabaseClient, type DatabaseClient } from "./client";
import { advisoryLocks } from "./advisory-locks";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
const quietWorkerLogger = new Logger(() => () => {});

export async function migrateDatabase(url: string): Promise<void> {
  const client = createDatabaseClient(url, { max: 1, applicationName: "vigil-migrate" });
  try {
    await client.sql`select pg_advisory_lock(${advisoryLocks.migrations})`;
    try {
      await migrate(client.db, { migrationsFolder });
      // The web process enqueues jobs before any worker may have run, so the queue schema must exist now.
      await runWorkerMigrations({ connectionString: url, logger: quietWorkerLogger });
      await openQueueToGrantedRoles(client.sql);
      await planAddJobsPerCall(client.sql);
    } finally {
      await client.sql`select pg_advisory_unlock(${advisoryLocks.migrations})`;
    }
  } finally {
    await client.close();
  }
}

/**
 * graphile-worker turns row-level security on for its tables and gives them no policy, which leaves their
 * rows to the role that ran its migrations. Where the web server and the worker run as a role of their own
 * (deploy/postgres/roles.sql), a policy that admits every row lets that role's table privileges decide
 * instead. Run after every migration, so tables a graphile-worker upgrade adds get it too.
 */
async function openQueueToGrantedRoles(sql: DatabaseClient["sql"]): Promise<void> {
  await sql`
    do $$
    declare
      queue_table regclass;
    begin
      for queue_table in
        select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'graphile_worker' and c.relrowsecurity
           and not exists (select from pg_policy p where p.polrelid = c.oid and p.polname = 'vigil_granted_roles')
      loop
        execute format('create policy vigil_granted_roles on %s using (true) with check (true)', queue_table);
      end loop;
    end $$`;
}

/**
 * graphile-worker's `add_jobs` (under every `add_job`) clears the key of a running job with the same key
 * before it inserts. PostgreSQL settles on a generic plan for that update while the job table is small: a
 * sequential scan, kept by every pooled connection. While the worker is down the table grows, and each job
 * added cost more (2.3 ms at 20,000 waiting jobs, against 0.35 ms planned for its own specs): the alert
 * storm that follows an outage would meet it. Custom plans keep to the key's index. Run after every
 * migration, as a graphile-worker upgrade that replaces the function drops the setting.
 */
async function planAddJobsPerCall(sql: DatabaseClient["sql"]): Promise<void> {
  await sql`alter function graphile_worker.add_jobs(graphile_worker.job_spec[], boolean) set plan_cache_mode = force_custom_plan`;
}
