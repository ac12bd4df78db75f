// Analytics statements scan and sort a whole time range (a quarter is ~250k incidents at 1M a year), so
// each runs in a short transaction with settings for that: work_mem large enough that the percentile
// sorts stay in memory (at the 4 MB default, 250k values spill to disk), and no JIT (compiling costs more
// than it saves at these sizes), and a plan made for this call's range (a generic plan, which PostgreSQL
// may settle on for a prepared statement after five calls, cannot tell a day from a year). SET LOCAL ends
// with the transaction.
import { is, sql, type SQL } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";

const settings = sql`select set_config('work_mem', '32MB', true), set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)`;

export async function runAnalyticsQuery<Row extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<Row[]> {
  // Inside a caller's transaction, run on it as is: a nested transaction is a savepoint, and concurrent
  // savepoints on one connection would release each other.
  if (is(db, PgTransaction)) {
    await db.execute(settings);
    return [...(await db.execute<Row>(query))] as Row[];
  }
  return db.transaction(async (tx) => {
    await tx.execute(settings);
    return [...(await tx.execute<Row>(query))] as Row[];
  });
}
