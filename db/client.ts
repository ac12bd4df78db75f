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
  const settings = {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "vigil" },
  };
  // postgres.js reads `max_pipeline` but its types leave it out.
  const pipeline = { max_pipeline: options.maxPipeline ?? 100 } as object;
  const sql = postgres(url, { ...pipeline, ...settings });
  // Transactions have connections of their own, each reserved for one transaction at a time (see
  // `transaction`): a BEGIN never waits for a statement connection to fall idle, which under load it may
  // not, and statements never queue behind a transaction.
  const transactions = postgres(url, settings);
  const db = drizzle(forDrizzle(sql, transactions), { schema, casing: "snake_case" });
  // drizzle sets the client's type parsers and serializers (it encodes JSON and dates itself); the
  // transactions' pool needs the same.
  Object.assign(transactions.options.parsers, sql.options.parsers);
  Object.assign(transactions.options.serializers, sql.options.serializers);
  return { db, sql, close: async () => void (await Promise.all([sql.end({ timeout: 5 }), transactions.end({ timeout: 5 })])) };
}

/**
 * The postgres.js client drizzle is given: statements prepared once per connection, and transactions on a
 * connection reserved first, from their own pool.
 *
 * drizzle asks postgres.js for unnamed statements (`prepare: false`) unless a query is built with
 * `.prepare(name)`, so PostgreSQL parses every statement again and the driver describes it first, an extra
 * round trip, on every call. Here postgres.js prepares each statement once per connection and reuses it:
 * its own default. PostgreSQL then plans a statement's first five calls with their values and may switch to
 * one generic plan when that is no dearer (its `plan_cache_mode=auto`): on the hot paths, key lookups, that
 * saves it most of its CPU per statement. Analytics, whose time ranges make plans differ widely, force a
 * plan per call (lib/analytics/run-analytics-query.ts).
 */
function forDrizzle(statements: postgres.Sql, transactions: postgres.Sql): postgres.Sql {
  return new Proxy(statements, {
    get(target, key) {
      if (key === "unsafe") return preparedUnsafe(target);
      if (key === "begin") return <T>(body: (tx: postgres.ReservedSql) => T | Promise<T>) => transaction(transactions, body);
      return Reflect.get(target, key);
    },
  });
}

const preparedUnsafe =
  (client: postgres.Sql | postgres.ReservedSql) => (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
    client.unsafe(query, params, { ...options, prepare: true });

const connectionErrorCodes = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT"]);

/** The connection itself failed (closed, reset, the session ended): nothing more may be sent on it. */
function lostConnection(error: unknown): boolean {
  const { code, errno, severity } = (error ?? {}) as { code?: string; errno?: unknown; severity?: string };
  return connectionErrorCodes.has(code ?? "") || errno !== undefined || severity === "FATAL" || severity === "PANIC";
}

/**
 * A transaction on a connection reserved before BEGIN is sent. postgres.js 3.4.9's own `begin` sends BEGIN
 * on a pooled connection and marks it reserved afterwards, a step it skips when BEGIN is the statement that
 * fills a busy connection's pipeline (porsager/postgres#823, #1189): the caller gets UNSAFE_TRANSACTION and
 * the transaction stays open on a connection the pool goes on lending. Prepared statements are pipelined,
 * so under load this happened (bench/notify.ts, 1 in 3,000 webhooks at 100 new incidents/s). `reserve()`
 * takes an idle connection, or waits for one; nothing else runs on it until it is released.
 *
 * As postgres.js's `begin` does, a statement that failed fails the transaction even when its caller
 * caught the error (PostgreSQL would answer COMMIT with ROLLBACK, and nothing would be stored).
 */
async function transaction<T>(pool: postgres.Sql, body: (tx: postgres.ReservedSql) => T | Promise<T>): Promise<T> {
  const connection = await pool.reserve();
  const scope = new TransactionScope(connection);
  let result: T;
  try {
    // BEGIN goes out together with the body's first statement: statements on a reserved connection are
    // sent in the order they start, and BEGIN starts first. Its answer is awaited before COMMIT.
    const begun = connection.unsafe("begin").execute();
    begun.catch(() => undefined); // awaited below; a body that throws first must not leave it unhandled
    result = await body(scope.client);
    await begun;
    if (scope.failure) throw scope.failure;
    scope.end();
    const committed = await connection.unsafe("commit");
    if (committed.command === "ROLLBACK") throw new Error("PostgreSQL rolled the transaction back at COMMIT");
  } catch (error) {
    scope.end();
    // A lost connection is not touched again: postgres.js replaces it, and may already lend the same
    // connection object to someone else. Otherwise roll back (after a failed COMMIT, PostgreSQL only warns).
    if (lostConnection(error) || lostConnection(scope.failure)) throw error;
    const rolledBack = await connection.unsafe("rollback").then(
      () => true,
      (rollbackError: unknown) => !lostConnection(rollbackError),
    );
    if (rolledBack) connection.release();
    throw error;
  }
  connection.release();
  return result;
}

/** One transaction's (or savepoint's) client: prepared statements, its first failure, nothing after its end. */
class TransactionScope {
  failure: unknown;
  private ended = false;
  private savepoints = 0;
  readonly client: postgres.ReservedSql;

  constructor(private readonly connection: postgres.ReservedSql) {
    this.client = new Proxy(connection, {
      get: (target, key) => {
        if (key === "unsafe") return this.unsafe;
        if (key === "savepoint") return this.savepoint;
        return Reflect.get(target, key);
      },
    });
  }

  end(): void {
    this.ended = true;
  }

  private readonly unsafe = (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => {
    if (this.ended) throw new Error("This transaction has ended: the statement was not sent");
    const pending = preparedUnsafe(this.connection)(query, params, options);
    pending.catch((error: unknown) => void (this.failure ??= error));
    return pending;
  };

  /** A nested transaction (drizzle's `tx.transaction`): a savepoint, rolled back to when its body fails. */
  private readonly savepoint = async <T>(body: (tx: postgres.ReservedSql) => T | Promise<T>): Promise<T> => {
    const name = `vigil_savepoint_${++this.savepoints}`;
    await this.unsafe(`savepoint ${name}`);
    const inner = new TransactionScope(this.connection);
    try {
      const result = await body(inner.client);
      if (inner.failure) throw inner.failure;
      inner.end();
      await this.unsafe(`release savepoint ${name}`);
      return result;
    } catch (error) {
      inner.end();
      if (!lostConnection(error)) await this.unsafe(`rollback to savepoint ${name}`);
      throw error;
    }
  };
}

export { schema };
