// The client prepares drizzle's statements once per connection (drizzle alone would send each one unnamed,
// parsed again on every call), in transactions too.
import { randomUUID } from "node:crypto";
import { eq, like } from "drizzle-orm";
import { expect, it } from "vitest";
import { createDatabaseClient } from "@/db/client";
import { incidents } from "@/db/schema";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();

it("prepares a statement once per connection and reuses it, inside transactions as well", async () => {
  const client = createDatabaseClient(t.url, { max: 1 });
  try {
    const byId = (db: typeof client.db) => db.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, randomUUID()));
    for (let i = 0; i < 3; i++) await byId(client.db);
    await client.db.transaction(async (tx) => {
      await byId(tx);
      await tx.select({ id: incidents.id }).from(incidents).where(like(incidents.title, "x%"));
    });
    const prepared = await client.sql<{ statement: string; custom_plans: number; generic_plans: number }[]>`
      select statement, custom_plans::int, generic_plans::int from pg_prepared_statements where statement like '%from "incidents"%' and statement not like '%pg_prepared_statements%' order by statement`;
    expect(prepared.map((p) => [p.statement.includes(`"id" = $1`), p.custom_plans, p.generic_plans])).toEqual([
      [true, 4, 0],
      [false, 1, 0],
    ]);
  } finally {
    await client.close();
  }
});
