// The database client factory: postgres.js under drizzle. Callers own the lifecycle (call close()).
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { forDrizzle } from "./postgres-for-drizzle";
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
  return {
    db,
    sql,
    close: async () => void (await Promise.all([sql.end({ timeout: 5 }), transactions.end({ timeout: 5 })])),
  };
}

export { MAX_PREPARED_PARAMETERS } from "./postgres-for-drizzle";
export { schema };
