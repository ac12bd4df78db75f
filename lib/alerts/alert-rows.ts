// The statements that write `alerts` rows for one delivery: one for the instances Vigil already holds and
// one for the firing ones new to an incident, whatever the number of alerts. Each carries its rows as one
// JSON parameter, so its text (and prepared statement) is the same for 1 alert or 200, and drizzle does not
// map every value of every row (most of the verb's CPU in a storm of 20-alert deliveries).
import { sql, type SQL } from "drizzle-orm";
import { alerts } from "@/db/schema";
import type { IncomingAlert } from "./alertmanager-payload";

/** A delivery's copy of an alert row already held: counted, and ended when it resolved the alert. */
export interface KnownAlertReceipt {
  id: string;
  /** Its (templated) annotations. */
  annotations: Record<string, string>;
  /** Set when this delivery ends the alert: its `endsAt`. */
  resolvedAt: Date | null;
}

/** One UPDATE for every held alert of the delivery: the receipt count and time, annotations, the end. */
export function knownAlertsUpdate(receipts: readonly KnownAlertReceipt[], now: Date): SQL {
  const rows = receipts.map((r) => ({
    id: r.id,
    annotations: r.annotations,
    resolved: r.resolvedAt !== null,
    ends_at: r.resolvedAt?.toISOString() ?? null,
  }));
  return sql`
    update ${alerts} a
       set receive_count = a.receive_count + 1, last_received_at = ${now.toISOString()}::timestamptz,
           annotations = r.annotations,
           status = case when r.resolved then 'resolved'::alert_status else a.status end,
           ends_at = case when r.resolved then r.ends_at else a.ends_at end
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
           as r(id uuid, annotations jsonb, resolved boolean, ends_at timestamptz)
     where a.id = r.id
 returning a.id`;
}

/**
 * The firing alerts new to an incident, in one INSERT: one row per fingerprint (the latest instance wins),
 * and an instance replacing an earlier one of the same fingerprint on the incident takes its row.
 */
export function firingAlertsUpsert(incidentId: string, firing: readonly IncomingAlert[], now: Date): SQL {
  const latest = new Map(firing.map((alert) => [alert.fingerprint, alert]));
  const rows = [...latest.values()].map((alert) => ({
    fingerprint: alert.fingerprint,
    labels: alert.labels,
    annotations: alert.annotations,
    starts_at: alert.startsAt.toISOString(),
    generator_url: alert.generatorUrl,
  }));
  const at = sql`${now.toISOString()}::timestamptz`;
  return sql`
    insert into ${alerts} (incident_id, fingerprint, status, labels, annotations, starts_at, ends_at, generator_url,
                           first_received_at, last_received_at)
    select ${incidentId}::uuid, r.fingerprint, 'firing', r.labels, r.annotations, r.starts_at, null, r.generator_url,
           ${at}, ${at}
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
           as r(fingerprint text, labels jsonb, annotations jsonb, starts_at timestamptz, generator_url text)
        on conflict (incident_id, fingerprint) do update
       set status = 'firing', labels = excluded.labels, annotations = excluded.annotations,
           starts_at = excluded.starts_at, ends_at = null, generator_url = excluded.generator_url,
           last_received_at = ${at}, receive_count = ${alerts}.receive_count + 1
 returning id`;
}
