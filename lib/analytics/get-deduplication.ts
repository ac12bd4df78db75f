// The deduplication figure: alert copies received (every delivery of every alert, re-sends included)
// against notifications sent, per UTC day, service and team, and the cut between them in percent. Alerts
// count by their own service and team labels, messages by their incident's; drills and tests are left
// out of the messages like everywhere in analytics (their alerts cannot be told apart when they arrive).
import { sql } from "drizzle-orm";
import { alertReceipts, incidents, notifications } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { runAnalyticsQuery } from "./run-analytics-query";
import type { Deduplication } from "./schemas";
import { resolveTimeRange, TimeRangeQuery } from "./time-range";

const DAY_MS = 86_400_000;

/** How much fewer messages than alert copies, in percent to one decimal (negative: more messages); null without alerts. */
export function reductionPercent(received: number, sent: number): number | null {
  return received > 0 ? Math.round((1 - sent / received) * 1000) / 10 : null;
}

export async function getDeduplication({ ctx, input }: VerbArgs<TimeRangeQuery>): Promise<Deduplication> {
  authorize(ctx.actor, "analytics.read");
  const range = resolveTimeRange(parseInput(TimeRangeQuery, input, "query"), ctx.now);
  // Receipts are kept per day, so the figure covers whole UTC days: every day the range touches.
  const firstDay = range.from.toISOString().slice(0, 10);
  const lastDay = new Date(range.to.getTime() - 1).toISOString().slice(0, 10);
  const start = `${firstDay}T00:00:00.000Z`;
  const end = new Date(Date.parse(`${lastDay}T00:00:00.000Z`) + DAY_MS).toISOString();
  const rows = await runAnalyticsQuery<{ day: string; service: string; team: string; received: number; sent: number }>(
    ctx.db,
    sql`
    with received as (
      select ${alertReceipts.day} as day, ${alertReceipts.service} as service, ${alertReceipts.team} as team,
             sum(${alertReceipts.received}) as n
      from ${alertReceipts} where ${alertReceipts.day} between ${firstDay}::date and ${lastDay}::date
      group by 1, 2, 3
    ), sent as (
      select (${notifications.createdAt} at time zone 'UTC')::date as day, coalesce(${incidents.service}, '') as service,
             coalesce(${incidents.team}, '') as team, count(*) as n
      from ${notifications} join ${incidents} on ${incidents.id} = ${notifications.incidentId}
      where ${notifications.createdAt} >= ${start}::timestamptz and ${notifications.createdAt} < ${end}::timestamptz
        and ${notifications.status} = 'sent' and not ${incidents.excludeFromMetrics}
      group by 1, 2, 3
    )
    select to_char(day, 'YYYY-MM-DD') as day, service, team,
           coalesce(received.n, 0)::int as received, coalesce(sent.n, 0)::int as sent
    from received full join sent using (day, service, team)
    order by day desc, coalesce(received.n, 0) desc, service, team`,
  );
  const received = rows.reduce((sum, r) => sum + r.received, 0);
  const sent = rows.reduce((sum, r) => sum + r.sent, 0);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    first_day: firstDay,
    last_day: lastDay,
    alerts_received: received,
    notifications_sent: sent,
    reduction_percent: reductionPercent(received, sent),
    rows: rows.map((r) => ({
      day: r.day,
      service: r.service === "" ? null : r.service,
      team: r.team === "" ? null : r.team,
      alerts_received: r.received,
      notifications_sent: r.sent,
      reduction_percent: reductionPercent(r.received, r.sent),
    })),
  };
}
