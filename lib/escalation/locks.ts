// The engine's per-incident lock: start, steps, stop and the manual verbs of one incident run one at a
// time (a transaction-scoped advisory lock, so an incident row is never held against the verbs).
import { sql } from "drizzle-orm";
import { advisoryLocks } from "@/db/advisory-locks";
import type { DbOrTx } from "@/db/client";

export async function lockIncidentEscalation(tx: DbOrTx, incidentId: string): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${incidentId}::text, ${advisoryLocks.escalation}))`,
  );
}
