// drizzle's transactions through Vigil's client: on a connection of their own pool, reserved before BEGIN
// (postgres.js's own begin can send BEGIN on a busy pooled connection and then fail to reserve it),
// committed, rolled back on any failed statement, with savepoints for nested ones.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDatabaseClient, type DatabaseClient } from "@/db/client";
import { incidents } from "@/db/schema";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();
let client: DatabaseClient;
beforeAll(() => {
  // Three connections, each taking at most two queued statements: the pipeline's edge is easy to reach.
  client = createDatabaseClient(t.url, { max: 3, maxPipeline: 2 });
});
afterAll(() => client.close());

const now = new Date("2026-11-28T06:00:00Z");
const incident = (title: string) => ({ title, severity: "P3" as const, detectedAt: now, createdAt: now, updatedAt: now });
const titled = async (title: string) => (await client.db.select({ id: incidents.id }).from(incidents).where(eq(incidents.title, title))).length;

it("commits, rolls back on an error, and rolls back only a nested transaction that failed", async () => {
  await client.db.transaction(async (tx) => {
    await tx.insert(incidents).values(incident("committed"));
  });
  await expect(
    client.db.transaction(async (tx) => {
      await tx.insert(incidents).values(incident("rolled back"));
      throw new Error("changed my mind");
    }),
  ).rejects.toThrow("changed my mind");
  await client.db.transaction(async (tx) => {
    await tx.insert(incidents).values(incident("outer"));
    await expect(
      tx.transaction(async (inner) => {
        await inner.insert(incidents).values(incident("inner"));
        throw new Error("inner failed");
      }),
    ).rejects.toThrow("inner failed");
  });
  expect([await titled("committed"), await titled("rolled back"), await titled("outer"), await titled("inner")]).toEqual([1, 0, 1, 0]);
});

it("fails a transaction whose statement failed even when the caller caught the error, and keeps nothing of it", async () => {
  await expect(
    client.db.transaction(async (tx) => {
      await tx.insert(incidents).values(incident("half done"));
      await tx.execute(sql`select 1 / 0`).catch(() => undefined);
    }),
  ).rejects.toThrow("division by zero");
  expect(await titled("half done")).toBe(0);
});

it("does not make a transaction wait while statements keep every statement connection busy", async () => {
  // With postgres.js's usual pipeline, statements queue on busy connections, which then never fall idle.
  const busy = createDatabaseClient(t.url, { max: 2 });
  try {
    let streaming = true;
    const stream = Promise.all(
      Array.from({ length: 16 }, async () => {
        const until = Date.now() + 1500;
        while (Date.now() < until) await busy.sql`select pg_sleep(0.002)`.execute();
        streaming = false;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const done = await busy.db.transaction(async (tx) => (await tx.execute(sql`select 1 as one`)).length);
    expect({ done, streamingStill: streaming }).toEqual({ done: 1, streamingStill: true });
    await stream;
  } finally {
    await busy.close();
  }
});

it("starts transactions safely while every connection is busy and its pipeline nearly full", async () => {
  // The order postgres.js 3.4.9 fails on (porsager/postgres#823): each connection busy, one statement
  // queued behind it, then BEGINs, then more statements. Its own begin rejects with UNSAFE_TRANSACTION here.
  for (let round = 0; round < 10; round++) {
    const results = await Promise.allSettled([
      ...Array.from({ length: 3 }, () => client.sql`select pg_sleep(0.05)`.execute()),
      ...Array.from({ length: 3 }, (_, i) => client.sql`select ${i}::int`.execute()),
      ...Array.from({ length: 5 }, (_, i) => client.db.transaction((tx) => tx.execute(sql`select ${i}::int as n`))),
      ...Array.from({ length: 3 }, (_, i) => client.sql`select ${i}::int`.execute()),
    ]);
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
  }
  const [open] = await client.sql<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`;
  expect(open?.n).toBe(0);
});
