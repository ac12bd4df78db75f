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
  // Transactions have connections of their own (see `forDrizzle`): a BEGIN never waits for a statement
  // connection to fall idle, which under load it may not, and statements never queue behind a transaction.
  const transactions = postgres(url, settings);
  const db = drizzle(forDrizzle(sql, transactions), { schema, casing: "snake_case" });
  // drizzle sets the client's type parsers and serializers (it encodes JSON and dates itself); the
  // transactions' pool needs the same.
  Object.assign(transactions.options.parsers, sql.options.parsers);
  Object.assign(transactions.options.serializers, sql.options.serializers);
  return { db, sql, close: async () => void (await Promise.all([sql.end({ timeout: 5 }), transactions.end({ timeout: 5 })])) };
}

/**
 * The postgres.js client drizzle is given: statements prepared once per connection (but long lists, see
 * MAX_PREPARED_PARAMETERS), and transactions on a pool of their own.
 *
 * drizzle asks postgres.js for unnamed statements (`prepare: false`) unless a query is built with
 * `.prepare(name)`, so PostgreSQL parses every statement again and the driver describes it first, an extra
 * round trip, on every call. Here postgres.js prepares each statement once per connection and reuses it:
 * its own default. PostgreSQL then plans a statement's first five calls with their values and may switch to
 * one generic plan when that is no dearer (its `plan_cache_mode=auto`): on the hot paths, key lookups, that
 * saves it most of its CPU per statement. Analytics, whose time ranges make plans differ widely, force a
 * plan per call (lib/analytics/run-analytics-query.ts).
 *
 * Prepared statements are pipelined on busy connections, and postgres.js 3.4.9's `begin` fails when its
 * BEGIN is the statement that fills a busy connection's pipeline (porsager/postgres#823, #1189): the caller
 * gets UNSAFE_TRANSACTION and the transaction stays open on a connection the pool goes on lending (1 in
 * 3,000 webhooks at 100 new incidents/s in bench/notify.ts). On a pool that runs nothing but transactions
 * a connection is either idle or in a transaction, never busy with pipelined statements, so BEGIN always
 * finds an idle one (or waits for one) and postgres.js's own `begin` is safe: it rolls back when a statement
 * failed even if the caller caught the error, rejects when the connection is lost, and nests savepoints.
 * (Reserving a connection first with `reserve()` was tried and dropped: in 3.4.9 a reservation asked for
 * while PostgreSQL is unreachable can wait forever, even once it is back, and a web request with it;
 * db/__tests__/transactions.test.ts drills it.)
 */
function forDrizzle(statements: postgres.Sql, transactions: postgres.Sql): postgres.Sql {
  return new Proxy(statements, {
    get(target, key) {
      if (key === "unsafe") return preparedUnsafe(target);
      if (key === "begin") return <T>(body: (tx: postgres.TransactionSql) => T | Promise<T>) => transactions.begin((tx) => inScope(tx, body));
      return Reflect.get(target, key);
    },
  });
}

type ScopeBody<T> = (tx: postgres.TransactionSql) => T | Promise<T>;

/**
 * Runs a transaction's (or savepoint's) body with a client whose statements are prepared, as the pool's
 * are, and which refuses statements once the body has finished: postgres.js would send them on the
 * connection, by then perhaps in another caller's transaction.
 */
async function inScope<T>(tx: postgres.TransactionSql, body: ScopeBody<T>): Promise<T> {
  let ended = false;
  const client = new Proxy(tx, {
    get(target, key) {
      if (key === "unsafe") {
        return (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => {
          if (ended) throw new Error("This transaction has ended: the statement was not sent");
          return preparedUnsafe(target)(query, params, options);
        };
      }
      if (key === "savepoint") {
        // drizzle's nested transaction: savepoint(body), or savepoint(name, body).
        return <S>(...args: [ScopeBody<S>] | [string, ScopeBody<S>]) => {
          const inner = args[args.length - 1] as ScopeBody<S>;
          const nested = (savepoint: postgres.TransactionSql) => inScope(savepoint, inner);
          return args.length === 2 ? target.savepoint(args[0] as string, nested) : target.savepoint(nested);
        };
      }
      return Reflect.get(target, key);
    },
  });
  try {
    return await body(client);
  } finally {
    ended = true;
  }
}

/**
 * Statements with more parameters than this are sent unnamed, parsed each time, as drizzle would: they are
 * the variable-length lists (a multi-row insert, an `in (…)` of many ids), whose text differs with each
 * length, and a prepared text stays on its connection, in PostgreSQL and in postgres.js, until the
 * connection is recycled. Below it, a family of statements has at most a handful of lengths; a new
 * incident with up to seven alerts stays prepared.
 */
export const MAX_PREPARED_PARAMETERS = 100;

const preparedUnsafe =
  (client: postgres.Sql | postgres.TransactionSql) => (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
    client.unsafe(query, params, { ...options, prepare: (params?.length ?? 0) <= MAX_PREPARED_PARAMETERS });

export { schema };
