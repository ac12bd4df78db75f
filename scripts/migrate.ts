// npm run db:migrate – apply the committed migrations to DATABASE_URL (idempotent).
import { migrateDatabase } from "@/db/migrate";
import { loadConfig, requireDatabaseUrl } from "@/lib/env";

const url = requireDatabaseUrl(loadConfig());
console.log("Applying migrations…");
await migrateDatabase(url);
console.log("Database is up to date.");
