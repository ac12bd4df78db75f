// The database client factory: postgres.js under drizzle. Callers own the lifecycle (call close()).
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** A database handle or an open transaction: verbs and queries accept either. */
export type DbOrTx = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DatabaseClient {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export interface ClientOptions {
  max?: number;
  applicationName?: string;
  /** Statements postgres.js may queue on one busy connection (its default, 100); tests lower it to reach the edge. */
  maxPipeline?: number;
}

export function createDatabaseClient(url: string, options: ClientOptions = {}): DatabaseClient {
  // postgres.js reads `max_pipeline` but its types leave it out.
  const pipeline = { max_pipeline: options.maxPipeline ?? 100 } as object;
  const sql = postgres(url, {
    ...pipeline,
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "vigil" },
  });
  const db = drizzle(forDrizzle(sql), { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/**
 * The postgres.js client drizzle is given: statements prepared once per connection, and transactions on a
 * connection reserved first.
 *
 * drizzle asks postgres.js for unnamed statements (`prepare: false`) unless a query is built with
 * `.prepare(name)`, so PostgreSQL parses every statement again and the driver describes it first, an extra
 * round trip, on every call. Here postgres.js prepares each statement once per connection and reuses it:
 * its own default. PostgreSQL then plans a statement's first five calls with their values and may switch to
 * one generic plan when that is no dearer (its `plan_cache_mode=auto`): on the hot paths, key lookups, that
 * saves it most of its CPU per statement. Analytics, whose time ranges make plans differ widely, force a
 * plan per call (lib/analytics/run-analytics-query.ts).
 */
function forDrizzle(pool: postgres.Sql): postgres.Sql {
  return new Proxy(pool, {
    get(target, key) {
      if (key === "unsafe") return preparedUnsafe(target);
      if (key === "begin") return <T>(body: (tx: postgres.ReservedSql) => T | Promise<T>) => transaction(target, body);
      return Reflect.get(target, key);
    },
  });
}

const preparedUnsafe =
  (client: postgres.Sql | postgres.ReservedSql) => (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
    client.unsafe(query, params, { ...options, prepare: true });

/**
 * A transaction on a connection reserved before BEGIN is sent. postgres.js 3.4.9's own `begin` sends BEGIN
 * on a pooled connection and marks it reserved afterwards, a step it skips when BEGIN is the statement that
 * fills a busy connection's pipeline (porsager/postgres#823, #1189): the caller gets UNSAFE_TRANSACTION and
 * the transaction stays open on a connection the pool goes on lending. Prepared statements are pipelined,
 * so under load this happened (bench/notify.ts, 1 in 3,000 webhooks at 100 new incidents/s). `reserve()`
 * takes an idle connection, or waits for one; nothing else runs on it until it is released.
 */
async function transaction<T>(pool: postgres.Sql, body: (tx: postgres.ReservedSql) => T | Promise<T>): Promise<T> {
  const connection = await pool.reserve();
  let result: T;
  try {
    await connection.unsafe("begin");
    result = await body(transactionClient(connection));
    await connection.unsafe("commit");
  } catch (error) {
    // After a failed COMMIT there is nothing left to roll back (PostgreSQL only warns). A connection that
    // cannot even do that is broken: the pool replaces it, so it is not handed back.
    const usable = await connection.unsafe("rollback").then(
      () => true,
      () => false,
    );
    if (usable) connection.release();
    throw error;
  }
  connection.release();
  return result;
}

/** The reserved connection as drizzle's transaction client: prepared statements, and savepoints for nested transactions. */
function transactionClient(connection: postgres.ReservedSql): postgres.ReservedSql {
  let savepoints = 0;
  const client: postgres.ReservedSql = new Proxy(connection, {
    get(target, key) {
      if (key === "unsafe") return preparedUnsafe(target);
      if (key === "savepoint") {
        return async <T>(body: (tx: postgres.ReservedSql) => T | Promise<T>) => {
          const name = `vigil_savepoint_${++savepoints}`;
          await target.unsafe(`savepoint ${name}`);
          try {
            const result = await body(client);
            await target.unsafe(`release savepoint ${name}`);
            return result;
          } catch (error) {
            await target.unsafe(`rollback to savepoint ${name}`);
            throw error;
          }
        };
      }
      return Reflect.get(target, key);
    },
  });
  return client;
}

export { schema };
