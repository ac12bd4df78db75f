// MTTD / MTTA / MTTR (mean, p50, p90) per severity, service or team, and for everything, over a time range.
// The groups and the total are two statements run side by side: each sorts the range's durations once
// per figure, and on separate connections they use two cores instead of queueing on one.
import { sql } from "drizzle-orm";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { severities } from "../incidents/schemas";
import {
  countedDurations,
  durationAggregates,
  figuresOf,
  groupColumn,
  type DurationAggregateRow,
} from "./counted-incidents";
import { runAnalyticsQuery } from "./run-analytics-query";
import { SummaryQuery, type AnalyticsSummary, type DurationGroup, type GroupDimension } from "./schemas";
import { resolveTimeRange } from "./time-range";

export async function getAnalyticsSummary({ ctx, input }: VerbArgs<SummaryQuery>): Promise<AnalyticsSummary> {
  authorize(ctx.actor, "analytics.read");
  const query = parseInput(SummaryQuery, input, "query");
  const range = resolveTimeRange(query, ctx.now);
  const [groupRows, totalRows] = await Promise.all([
    runAnalyticsQuery<DurationAggregateRow & { key: string | null }>(
      ctx.db,
      sql`
      select key, ${durationAggregates} from ${countedDurations(range, sql`${groupColumn(query.group_by)} as key`)} group by key`,
    ),
    runAnalyticsQuery<DurationAggregateRow>(
      ctx.db,
      sql`
      select ${durationAggregates} from ${countedDurations(range, sql`1 as one`)}`,
    ),
  ]);
  const total = totalRows[0] && totalRows[0].count > 0 ? { key: "all", ...figuresOf(totalRows[0]) } : emptyGroup("all");
  const groups = groupRows.map((row) => ({ key: row.key, ...figuresOf(row) })).sort(groupOrder(query.group_by));
  return { from: range.from.toISOString(), to: range.to.toISOString(), group_by: query.group_by, total, groups };
}

const severityRank = (key: string | null) => (severities as readonly (string | null)[]).indexOf(key);

export function emptyGroup(key: string | null): DurationGroup {
  const none = { mean: null, p50: null, p90: null };
  return { key, count: 0, open: 0, unacknowledged: 0, undetected: 0, mttd: none, mtta: none, mttr: none };
}

/** Severities in their own order (P0 first); services and teams busiest first, then by name. */
export function groupOrder(dimension: GroupDimension) {
  return (a: { key: string | null; count: number }, b: { key: string | null; count: number }) => {
    if (dimension === "severity") return severityRank(a.key) - severityRank(b.key);
    return b.count - a.count || (a.key ?? "\uffff").localeCompare(b.key ?? "\uffff");
  };
}
