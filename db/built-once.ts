// Statements on hot paths, built by drizzle once per process instead of on every call. Building a query
// from the schema (each column, each operator, each value checked and mapped) costs the web server and
// the worker more CPU than PostgreSQL spends running a simple statement (bench/README.md, notify.ts).
//
// `build` makes drizzle's prepared query, with `sql.placeholder(name)` where the values go; each call
// runs that query on the caller's handle — on the caller's transaction when it is one.
import type { DbOrTx } from "./client";

interface Executable {
  execute(values?: Record<string, unknown>): Promise<unknown>;
}

export function builtOnce<Q extends Executable>(build: (db: DbOrTx) => Q): (db: DbOrTx) => Q {
  let built: Q | undefined;
  return (db) => {
    built ??= build(db);
    // A prepared query runs on the connection it holds in `client`; this one holds the caller's (the pool,
    // or the transaction's client), and inherits everything else.
    return Object.create(built, { client: { value: connectionOf(db) } }) as Q;
  };
}

/** The postgres.js client behind a drizzle handle (the session's `client`, one per transaction). */
function connectionOf(db: DbOrTx): unknown {
  const client = (db._.session as unknown as { client?: unknown }).client;
  if (!client) throw new Error("builtOnce: this drizzle session has no postgres.js client");
  return client;
}
