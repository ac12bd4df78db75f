// Alert copies received per day, service and team: the numerator of the deduplication figure. Every alert
// of every delivery counts (a re-send or a retry is a copy Vigil had to absorb), in the delivery's own
// transaction, so a delivery that rolled back counts nothing and a retried one counts again.
//
// A count is kept in shards: one row could take one delivery at a time (each held its lock until it
// committed), and every delivery of a service shares it. A connection runs one transaction at a time, so
// each adds to the shard of its own backend; readers sum the shards.
import { sql, type SQL } from "drizzle-orm";
import { alertReceipts } from "@/db/schema";
import type { AlertBatch } from "./alertmanager-payload";

const MAX_NAME_LENGTH = 200;
/** Rows per day, service and team: more than a web process's connections, so they rarely meet. */
export const RECEIPT_SHARDS = 16;

/** How many of the batch's alerts carry each service and team ('' for none), as the incident columns are cut. */
export function tallyAlertReceipts(
  batch: AlertBatch,
  labels: { serviceLabel: string; teamLabel: string },
): { service: string; team: string; received: number }[] {
  const tally = new Map<string, { service: string; team: string; received: number }>();
  for (const alert of batch.alerts) {
    const value = (name: string) => (alert.labels[name] ?? batch.commonLabels[name] ?? "").slice(0, MAX_NAME_LENGTH);
    const service = value(labels.serviceLabel);
    const team = value(labels.teamLabel);
    const key = JSON.stringify([service, team]);
    const entry = tally.get(key) ?? { service, team, received: 0 };
    entry.received++;
    tally.set(key, entry);
  }
  return [...tally.values()];
}

/**
 * The statement adding the batch's alerts to the day's counters (none for an empty batch). Run it last in
 * the delivery's transaction, alone or as part of its last statement: a shard's rows are still shared by
 * the deliveries of every process whose backend maps to it, so their row locks are held only for the commit.
 * Written as SQL: drizzle's insert builder took several times the CPU to build it, on every delivery.
 */
export function alertReceiptsUpsert(
  batch: AlertBatch,
  labels: { serviceLabel: string; teamLabel: string },
  now: Date,
): SQL | undefined {
  const tally = tallyAlertReceipts(batch, labels);
  if (tally.length === 0) return undefined;
  const day = now.toISOString().slice(0, 10);
  // Sorted, so two deliveries touching the same counters lock them in the same order (no deadlock).
  tally.sort((a, b) => a.service.localeCompare(b.service) || a.team.localeCompare(b.team));
  const shard = sql.raw(`pg_backend_pid() % ${RECEIPT_SHARDS}`);
  const rows = tally.map(
    (t) => sql`(${day}::date, ${t.service}::text, ${t.team}::text, ${shard}, ${t.received}::bigint)`,
  );
  return sql`insert into ${alertReceipts} (day, service, team, shard, received) values ${sql.join(rows, sql`, `)}
             on conflict (day, service, team, shard) do update set received = ${alertReceipts}.received + excluded.received
             returning day`;
}
