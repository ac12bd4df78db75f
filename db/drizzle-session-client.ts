// drizzle keeps the postgres.js client a handle runs on (the pool's, or one per transaction) in its private
// `session.client`, and no public API gives it; builtOnce needs it to run a prepared query on the caller's
// handle. Pinned by db/__tests__/library-assumptions.test.ts, which fails loudly if an upgrade moves it.
import type { DbOrTx } from "./client";

export function postgresClientOf(db: DbOrTx): unknown {
  const client = (db._.session as unknown as { client?: unknown }).client;
  if (!client) throw new Error("drizzle's session has no `client` any more: see db/drizzle-session-client.ts");
  return client;
}
