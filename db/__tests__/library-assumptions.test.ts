// The places where our database plumbing leans on how drizzle and postgres.js work inside. Each test names
// the module that depends on it: when one fails after an upgrade, that module needs rework, not the test.
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { postgresClientOf } from "@/db/drizzle-session-client";
import { schema } from "@/db/client";
import { incidents } from "@/db/schema";
import { rawJson, rawTimestamp, rowCountsOf, withStatements } from "@/db/statements-in-one-round-trip";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();
const isPostgresClient = (value: unknown) => typeof (value as { unsafe?: unknown })?.unsafe === "function";

describe("drizzle's private session client (db/drizzle-session-client.ts, used by db/built-once.ts)", () => {
  it("is the postgres.js client of the pool, and another one inside a transaction", async () => {
    const pool = postgresClientOf(t.db);
    expect(isPostgresClient(pool), "drizzle's db._.session.client is no longer a postgres.js client").toBe(true);
    await t.db.transaction(async (tx) => {
      const inside = postgresClientOf(tx);
      expect(isPostgresClient(inside), "a transaction's session.client is no longer a postgres.js client").toBe(true);
      expect(inside, "a transaction's session.client is the pool's: built-once queries would leave it").not.toBe(pool);
    });
  });
});

describe("drizzle's postgres-js driver calls (db/postgres-for-drizzle.ts proxies them)", () => {
  it("sends statements through unsafe, transactions through begin, nested ones through savepoint", async () => {
    const calls: string[] = [];
    const record = <T extends object>(target: T, prefix: string): T =>
      new Proxy(target, {
        get(object, key) {
          if (key === "unsafe" || key === "begin" || key === "savepoint") {
            calls.push(`${prefix}${String(key)}`);
            const method = Reflect.get(object, key) as (...args: unknown[]) => unknown;
            if (key === "unsafe") return method.bind(object);
            // Record what the transaction's body is given too.
            return (...args: unknown[]) => {
              const body = args[args.length - 1] as (tx: object) => unknown;
              return method.apply(object, [...args.slice(0, -1), (tx: object) => body(record(tx, "tx."))]);
            };
          }
          return Reflect.get(object, key);
        },
      });
    const client = postgres(t.url, { max: 1, onnotice: () => {} });
    try {
      const db = drizzle(record(client, ""), { schema, casing: "snake_case" });
      await db.select({ id: incidents.id }).from(incidents).where(eq(incidents.title, "nothing"));
      await db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await tx.transaction(async (inner) => void (await inner.execute(sql`select 2`)));
      });
    } finally {
      await client.end();
    }
    expect(calls, "drizzle no longer calls postgres.js's unsafe / begin / savepoint as the Proxy expects").toEqual([
      "unsafe",
      "begin",
      "tx.unsafe",
      "tx.savepoint",
      "tx.unsafe",
    ]);
  });
});

describe("a transaction's statements run in the order they are started (the ingestion pipelines its lock and reads)", () => {
  it("runs a raw statement started with execute() before a prepared query started after it", async () => {
    for (let round = 0; round < 20; round++) {
      const seen = await t.db.transaction(async (tx) => {
        const first = tx.execute(sql`select set_config('vigil.order_probe', 'set', true)`).execute();
        const second = tx
          .select({ setting: sql<string>`current_setting('vigil.order_probe', true)` })
          .from(sql`(values (1)) as one(x)`)
          .prepare("order_probe")
          .execute();
        const [, [row]] = await Promise.all([first, second]);
        return row?.setting;
      });
      expect(
        seen,
        "a statement started later ran first: lib/alerts/ingest-alertmanager-payload.ts would read before its lock",
      ).toBe("set");
    }
  });
});

describe("statements in one round trip (db/statements-in-one-round-trip.ts, used by appendTimelineEvent)", () => {
  it("embeds drizzle-built statements as CTEs and hands back the driver's rows unmapped", async () => {
    const now = new Date("2026-11-28T06:00:00.000Z");
    const insert = t.db
      .insert(incidents)
      .values({ title: "cte", severity: "P4", labels: { a: "b" }, createdAt: now, updatedAt: now })
      .returning();
    const [row] = await t.db.execute<Record<string, unknown>>(
      withStatements(
        [
          ["added", insert.getSQL()],
          ["echoed", sql`select id from added`],
        ],
        sql`select added.id, added.created_at, added.labels${rowCountsOf(["echoed"])} from added`,
      ),
    );
    expect(Object.keys(row!), "db.execute now maps column names: raw-row readers need rework").toEqual([
      "id",
      "created_at",
      "labels",
      "echoed",
    ]);
    expect(rawTimestamp(row!.created_at as string | Date)).toEqual(now);
    expect(rawJson(row!.labels as string | object)).toEqual({ a: "b" });
    expect(Number(row!.echoed)).toBe(1);
    const [stored] = await t.db
      .select()
      .from(incidents)
      .where(eq(incidents.id, row!.id as string));
    expect(stored).toMatchObject({ title: "cte", createdAt: now, labels: { a: "b" } });
  });
});
