// Statements on hot paths, built by drizzle once per process instead of on every call. Building a query
// from the schema (each column, each operator, each value checked and mapped) costs the web server and
// the worker more CPU than PostgreSQL spends running a simple statement (bench/README.md, notify.ts).
//
// `build` makes drizzle's prepared query, with `sql.placeholder(name)` where the values go; each call
// runs that query on the caller's handle — on the caller's transaction when it is one.
import type { DbOrTx } from "./client";
import { postgresClientOf } from "./drizzle-session-client";

interface Executable {
  execute(values?: Record<string, unknown>): Promise<unknown>;
}

export function builtOnce<Q extends Executable>(build: (db: DbOrTx) => Q): (db: DbOrTx) => Q {
  let built: Q | undefined;
  return (db) => {
    built ??= build(db);
    // A prepared query runs on the connection it holds in `client`; this one holds the caller's (the pool,
    // or the transaction's client), and inherits everything else.
    return Object.create(built, { client: { value: postgresClientOf(db) } }) as Q;
  };
}
