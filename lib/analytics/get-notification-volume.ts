// Notification volume and failures per channel, from the delivery log, over messages created in the range.
// Messages about drills and tests (incidents excluded from metrics) are left out like their incidents.
import { sql } from "drizzle-orm";
import { incidents, notificationChannelEnum, notifications } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import type { NotificationVolume } from "./schemas";
import { shareOf } from "./share";
import { runAnalyticsQuery } from "./run-analytics-query";
import { resolveTimeRange, TimeRangeQuery } from "./time-range";

export async function getNotificationVolume({ ctx, input }: VerbArgs<TimeRangeQuery>): Promise<NotificationVolume> {
  authorize(ctx.actor, "analytics.read");
  const range = resolveTimeRange(parseInput(TimeRangeQuery, input, "query"), ctx.now);
  const rows = await runAnalyticsQuery<{
    channel: string;
    total: number;
    sent: number;
    failed: number;
    pending: number;
    fallbacks: number;
    attempts: number;
  }>(
    ctx.db,
    sql`
    select ${notifications.channel} as channel, count(*)::int as total,
           count(*) filter (where ${notifications.status} = 'sent')::int as sent,
           count(*) filter (where ${notifications.status} = 'failed')::int as failed,
           count(*) filter (where ${notifications.status} in ('pending', 'sending'))::int as pending,
           count(*) filter (where ${notifications.isFallback})::int as fallbacks,
           coalesce(sum(${notifications.attempts}), 0)::int as attempts
    from ${notifications}
    where ${notifications.createdAt} >= ${range.from.toISOString()}::timestamptz and ${notifications.createdAt} < ${range.to.toISOString()}::timestamptz
      and not exists (select 1 from ${incidents} where ${incidents.id} = ${notifications.incidentId} and ${incidents.excludeFromMetrics})
    group by 1`,
  );
  // Every channel, in a fixed order, so a quiet channel shows as 0 messages rather than going missing.
  const channels = notificationChannelEnum.enumValues.map((channel) => {
    const row = rows.find((r) => r.channel === channel);
    return {
      channel,
      total: row?.total ?? 0,
      sent: row?.sent ?? 0,
      failed: row?.failed ?? 0,
      pending: row?.pending ?? 0,
      fallbacks: row?.fallbacks ?? 0,
      attempts: row?.attempts ?? 0,
      failure_share: shareOf(row?.failed ?? 0, (row?.sent ?? 0) + (row?.failed ?? 0)),
    };
  });
  return { from: range.from.toISOString(), to: range.to.toISOString(), channels };
}
