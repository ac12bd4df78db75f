// The client prepares drizzle's statements once per connection (drizzle alone would send each one unnamed,
// parsed again on every call), on the statements' pool and in transactions too.
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { createDatabaseClient, MAX_PREPARED_PARAMETERS, type DbOrTx } from "@/db/client";
import { incidents } from "@/db/schema";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();

const byId = (db: DbOrTx) => db.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, randomUUID()));
const preparedOnThisConnection = sql`
  select custom_plans::int + generic_plans::int as calls from pg_prepared_statements
   where statement like '%from "incidents" where "incidents"."id" = $1%' and statement not like '%pg_prepared_statements%'`;

it("prepares a statement once per connection and reuses it, in transactions as well", async () => {
  const client = createDatabaseClient(t.url, { max: 1 });
  try {
    for (let i = 0; i < 3; i++) await byId(client.db);
    expect(await client.db.execute(preparedOnThisConnection)).toEqual([{ calls: 3 }]);
    const inTransaction = await client.db.transaction(async (tx) => {
      for (let i = 0; i < 2; i++) await byId(tx);
      return tx.execute(preparedOnThisConnection);
    });
    expect([...inTransaction]).toEqual([{ calls: 2 }]);
  } finally {
    await client.close();
  }
});

it("sends a statement with a long list of values unnamed: each length would be a statement of its own, kept until the connection is recycled", async () => {
  const client = createDatabaseClient(t.url, { max: 1 });
  const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
  const prepared = async () =>
    (
      await client.db.execute<{ params: number }>(sql`
      select cardinality(parameter_types)::int as params from pg_prepared_statements
       where statement like '%from "incidents" where "incidents"."id" in%' and statement not like '%pg_prepared_statements%'
       order by 1`)
    ).map((row) => row.params);
  try {
    for (const n of [2, 3, MAX_PREPARED_PARAMETERS, MAX_PREPARED_PARAMETERS + 1, 500]) {
      expect(
        await client.db
          .select({ id: incidents.id })
          .from(incidents)
          .where(inArray(incidents.id, ids(n))),
      ).toEqual([]);
    }
    expect(await prepared()).toEqual([2, 3, MAX_PREPARED_PARAMETERS]);
  } finally {
    await client.close();
  }
});
