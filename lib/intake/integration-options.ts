// The per-kind options an integration keeps in its `options` column, read leniently (a field the code
// no longer knows is ignored rather than breaking the door).
import type { IntegrationRow } from "@/db/schema";

export const integrationKinds = ["alertmanager", "pagerduty", "grafana", "opsgenie", "webhook", "heartbeat"] as const;
export type IntegrationKind = (typeof integrationKinds)[number];

export interface IntegrationOptions {
  /** PagerDuty: what an incident groups by. */
  group_by?: "dedup_key" | "group" | "component" | "class";
  /** Heartbeat: the longest gap between pings. */
  interval_minutes?: number;
  /** Grafana: the contact point's HMAC secret and optional timestamp header. */
  hmac_secret?: string | null;
  timestamp_header?: string | null;
}

export function optionsOf(row: Pick<IntegrationRow, "options">): IntegrationOptions {
  const o = row.options;
  const str = (v: unknown) => (typeof v === "string" && v ? v : null);
  const groupBy = o.group_by;
  return {
    group_by:
      groupBy === "group" || groupBy === "component" || groupBy === "class" || groupBy === "dedup_key"
        ? groupBy
        : undefined,
    interval_minutes: typeof o.interval_minutes === "number" ? o.interval_minutes : undefined,
    hmac_secret: str(o.hmac_secret),
    timestamp_header: str(o.timestamp_header),
  };
}
