// npm run db:seed – add the demo users and incidents to DATABASE_URL when it has no incidents yet.
import { createDatabaseClient } from "@/db/client";
import { seedDemoData } from "./demo-data";
import { loadConfig, requireDatabaseUrl } from "@/lib/env";

const client = createDatabaseClient(requireDatabaseUrl(loadConfig()), { max: 1 });
try {
  const made = await seedDemoData(client.db);
  console.log(made ? `Seeded ${made} demo incidents.` : "The database already has incidents; nothing seeded.");
} finally {
  await client.close();
}
