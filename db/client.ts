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

export function createDatabaseClient(url: string, options: { max?: number; applicationName?: string } = {}): DatabaseClient {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "vigil" },
  });
  const db = drizzle(preparingStatements(sql), { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/**
 * drizzle asks postgres.js for unnamed statements (`prepare: false`) unless a query is built with
 * `.prepare(name)`, so PostgreSQL parses every statement again and the driver handles its description on
 * every call. This hands drizzle a client whose statements postgres.js prepares once per connection and
 * reuses: its own default. PostgreSQL then plans a statement's first five calls with their values and may
 * switch to one generic plan when that is no dearer (its `plan_cache_mode=auto`): on the hot paths, key
 * lookups, that saves it most of its CPU per statement. Analytics, whose time ranges make plans differ
 * widely, force a plan per call (lib/analytics/run-analytics-query.ts).
 */
function preparingStatements<T extends postgres.Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, key) {
      if (key === "unsafe") {
        return (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => target.unsafe(query, params, { ...options, prepare: true });
      }
      if (key === "begin" || key === "savepoint") {
        const open = Reflect.get(target, key) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return open(...args, (tx: postgres.TransactionSql) => body(preparingStatements(tx)));
        };
      }
      return Reflect.get(target, key);
    },
  });
}

export { schema };
