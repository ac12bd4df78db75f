// npm run db:migrate – apply the committed migrations to DATABASE_URL (idempotent), name stored runbook
// matchers RE2 refuses, load runbooks/*.md into the runbook catalog, and make sure the
// BOOTSTRAP_ADMIN_TOKEN exists when it is set (the container's migration Job runs this before rollout).
import { createDatabaseClient } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { ensureBootstrapToken } from "@/lib/auth/api-tokens";
import { checkStoredMatchers } from "@/lib/runbooks/stored-matcher-check";
import { describeSyncReport, syncRunbookFiles } from "@/lib/runbooks/sync-runbook-files";
import { loadConfig, requireDatabaseUrl } from "@/lib/env";

const config = loadConfig();
const url = requireDatabaseUrl(config);
console.log("Applying migrations…");
await migrateDatabase(url);
console.log("Database is up to date.");
{
  // The runbook catalog from runbooks/*.md: loaded before a rollout, like the schema (the worker does it too).
  // First, the stored versions whose label matchers RE2 refuses, named before the new code serves them.
  const client = createDatabaseClient(url, { max: 1, applicationName: "vigil-migrate" });
  try {
    for (const line of await checkStoredMatchers(client.db)) console.warn(line);
    for (const line of describeSyncReport(await syncRunbookFiles(client.db, config.runbooks.dir, new Date())))
      console.log(line);
  } finally {
    await client.close();
  }
}
if (config.bootstrapAdminToken) {
  const client = createDatabaseClient(url, { max: 1, applicationName: "vigil-migrate" });
  try {
    const state = await ensureBootstrapToken(client.db, config.bootstrapAdminToken, new Date());
    console.log(
      state === "revoked"
        ? "The BOOTSTRAP_ADMIN_TOKEN was revoked by an admin; it stays revoked."
        : `Bootstrap admin token: ${state}.`,
    );
  } finally {
    await client.close();
  }
}
