// Applies drizzle's committed migrations and graphile-worker's own schema. Safe to run repeatedly and
// from several replicas at once (an advisory lock serialises them).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { Logger, runMigrations as runWorkerMigrations } from "graphile-worker";
import { createDatabaseClient } from "./client";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
const MIGRATION_LOCK = 7_446_112_001;
const quietWorkerLogger = new Logger(() => () => {});

export async function migrateDatabase(url: string): Promise<void> {
  const client = createDatabaseClient(url, { max: 1, applicationName: "vigil-migrate" });
  try {
    await client.sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrate(client.db, { migrationsFolder });
      // The web process enqueues jobs before any worker may have run, so the queue schema must exist now.
      await runWorkerMigrations({ connectionString: url, logger: quietWorkerLogger });
    } finally {
      await client.sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await client.close();
  }
}
