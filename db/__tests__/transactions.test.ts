// drizzle's transactions through Vigil's client: on a pool of their own (postgres.js's begin on a pool
// shared with pipelined statements can send BEGIN on a busy connection and then fail to reserve it),
// committed, rolled back on any failed statement, with savepoints for nested ones, none left waiting after
// the database was unreachable for a while, and no connection lost for good when one dies mid-transaction.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseClient, type DatabaseClient } from "@/db/client";
import { incidents } from "@/db/schema";
import { useTestDatabase } from "@/test/database";
import { setDatabaseReachable, startTcpProxy } from "@/test/tcp-proxy";

const t = useTestDatabase();
let client: DatabaseClient;
beforeAll(() => {
  // Three connections, each taking at most two queued statements: the pipeline's edge is easy to reach.
  client = createDatabaseClient(t.url, { max: 3, maxPipeline: 2 });
});
afterAll(() => client.close());

const now = new Date("2026-11-28T06:00:00Z");
const incident = (title: string) => ({
  title,
  severity: "P3" as const,
  detectedAt: now,
  createdAt: now,
  updatedAt: now,
});
const titled = async (title: string) =>
  (await client.db.select({ id: incidents.id }).from(incidents).where(eq(incidents.title, title))).length;

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
  expect([
    await titled("committed"),
    await titled("rolled back"),
    await titled("outer"),
    await titled("inner"),
  ]).toEqual([1, 0, 1, 0]);
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

it("refuses a statement started on a transaction after it ended (it would run in whatever the connection does next)", async () => {
  let escaped: Parameters<Parameters<typeof client.db.transaction>[0]>[0] | undefined;
  // drizzle reports the driver's error as the cause of its own "Failed query".
  const refusal = async () =>
    (
      (
        await escaped!.execute(sql`select 1`).then(
          () => null,
          (error: Error) => error,
        )
      )?.cause as Error | undefined
    )?.message;
  await client.db.transaction(async (tx) => {
    escaped = tx;
    await tx.execute(sql`select 1`);
  });
  expect(await refusal()).toBe("This transaction has ended: the statement was not sent");
  await client.db.transaction(async (tx) => {
    await tx.transaction(async (inner) => {
      escaped = inner;
    });
    expect(await refusal()).toBe("This transaction has ended: the statement was not sent");
  });
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
    expect(
      results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)),
    ).toEqual([]);
  }
  const [open] = await client.sql<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`;
  expect(open?.n).toBe(0);
});

it("settles every transaction asked for while the database is unreachable, and has all its connections once it is back", async () => {
  // postgres.js 3.4.9's reserve(), which this client used before, left one of these waiting forever, and
  // a web request with it (an e2e outage drill: webhooks hung until Alertmanager gave up on them).
  const database = new URL(t.url);
  const proxy = await startTcpProxy({
    host: database.hostname === "localhost" ? "127.0.0.1" : database.hostname,
    port: Number(database.port || 5432),
  });
  database.port = String(proxy.port);
  const cut = createDatabaseClient(database.toString(), { max: 3 });
  const settled = (work: Promise<unknown>) =>
    work.then(
      () => "settled",
      () => "settled",
    );
  const within = <T>(work: Promise<T>, ms: number) =>
    Promise.race([work, new Promise<string>((resolve) => setTimeout(() => resolve("still waiting"), ms))]);
  const held = () => cut.db.transaction(async (tx) => (await tx.execute(sql`select pg_sleep(0.2), 1 as one`)).length);
  try {
    await Promise.all([held(), held(), held()]);
    for (let outage = 0; outage < 3; outage++) {
      // One transaction is in flight when the connections are cut (a reset mid-transaction).
      const inFlight = settled(cut.db.transaction((tx) => tx.execute(sql`select pg_sleep(1)`)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await setDatabaseReachable(proxy.controlPort, false);
      const during = Array.from({ length: 6 }, () =>
        settled(cut.db.transaction((tx) => tx.execute(sql`select 1 as one`))),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      await setDatabaseReachable(proxy.controlPort, true);
      expect(await Promise.all([inFlight, ...during].map((work) => within(work, 10_000)))).toEqual(
        Array(7).fill("settled"),
      );
      // All three connections serve again: three transactions that each hold one finish together.
      expect(await within(Promise.all([held(), held(), held()]), 10_000)).toEqual([1, 1, 1]);
    }
  } finally {
    await cut.close();
    await proxy.close();
  }
});

describe("a transaction whose connection dies", () => {
  // postgres.js 3.4.9's begin sends ROLLBACK or COMMIT on the dead connection once the body settles, and
  // that connection then never reconnects: with one connection, every later transaction failed
  // (CONNECT_TIMEOUT) and the process saw an uncaught TypeError, which vitest reports as a failure.
  let lonely: DatabaseClient;
  beforeAll(async () => {
    lonely = createDatabaseClient(t.url, { max: 1, applicationName: "vigil-dying-connection" });
    await t.sql`create table dying_connection (id int primary key, note text)`;
  });
  afterAll(() => lonely.close());

  const killBackend = (state: string) => t.sql`
    select pg_terminate_backend(pid) from pg_stat_activity
     where application_name = 'vigil-dying-connection' and datname = current_database() and state like ${state}`;
  const insert = (tx: Parameters<Parameters<typeof lonely.db.transaction>[0]>[0], id: number) =>
    tx.execute(sql`insert into dying_connection values (${id}, 'x')`);
  const rows = async () =>
    (await t.sql<{ id: number }[]>`select id from dying_connection order by id`).map((r) => r.id);
  /** The next transaction works at once (the old session's farewell, which its BEGIN may hear, costs a retry, not a failure). */
  const worksAgain = () =>
    lonely.db
      .transaction((tx) => tx.execute(sql`select 1`))
      .then(
        () => "ok",
        (error: Error) => error.message,
      );

  it("when it was idle (a failover, an admin, an idle timeout): the next transaction does not fail for it", async () => {
    // Its BEGIN hears the session's farewell, or finds the socket closed: one retry on a fresh connection.
    const gone = async () => {
      while (
        (
          await t.sql`select 1 from pg_stat_activity where application_name = 'vigil-dying-connection' and datname = current_database()`
        ).length > 0
      ) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    for (let round = 0; round < 10; round++) {
      await lonely.db.transaction((tx) => tx.execute(sql`select 1`));
      expect(await killBackend("idle")).toHaveLength(1);
      await gone();
      await new Promise((resolve) => setTimeout(resolve, 10 * (round % 3)));
      await expect(lonely.db.transaction((tx) => tx.execute(sql`select 2 as two`))).resolves.toEqual([{ two: 2 }]);
    }
  });

  it("while a statement runs: the caller hears of it, and the pool's one connection serves again", async () => {
    const dying = lonely.db
      .transaction((tx) => tx.execute(sql`select pg_sleep(3)`))
      .then(
        () => "committed",
        () => "failed",
      );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await killBackend("active")).toHaveLength(1);
    expect(await dying).toBe("failed");
    expect(await worksAgain()).toBe("ok");
  });

  it("between statements: its next statement is not sent, and nothing of it lands in the next transaction", async () => {
    const dying = lonely.db
      .transaction(async (tx) => {
        await insert(tx, 1);
        await new Promise((resolve) => setTimeout(resolve, 600));
        await insert(tx, 2);
      })
      .then(
        () => "committed",
        () => "failed",
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await killBackend("idle in transaction%")).toHaveLength(1);
    expect(await dying).toBe("failed");
    expect(await worksAgain()).toBe("ok");
    // A transaction that fails after the dying one's body would have gone on: none of either is kept.
    await expect(
      lonely.db.transaction(async (tx) => {
        await insert(tx, 3);
        await new Promise((resolve) => setTimeout(resolve, 700));
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await lonely.db.transaction((tx) => insert(tx, 4));
    expect(await rows()).toEqual([4]);
  });
});
