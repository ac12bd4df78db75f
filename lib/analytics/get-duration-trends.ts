// MTTD / MTTA / MTTR per day or week and per severity, service or team: the trend lines. Every bucket of
// the range is in every series, an empty one with count 0 and null figures, so charts keep their gaps.
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { incidents } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import {
  countedDurations,
  countedIncidents,
  durationAggregates,
  figuresOf,
  groupColumn,
  type DurationAggregateRow,
} from "./counted-incidents";
import { emptyGroup, groupOrder } from "./get-analytics-summary";
import { TrendsQuery, type DurationTrends, type TrendPoint } from "./schemas";
import { runAnalyticsQuery } from "./run-analytics-query";
import { bucketStarts, resolveTimeRange, type BucketSize, type TimeRange } from "./time-range";

export async function getDurationTrends({ ctx, input }: VerbArgs<TrendsQuery>): Promise<DurationTrends> {
  authorize(ctx.actor, "analytics.read");
  const query = parseInput(TrendsQuery, input, "query");
  const range = resolveTimeRange(query, ctx.now);
  const key = groupColumn(query.group_by);
  // Services and teams can be many: keep the busiest `limit` of the range (severities are five at most).
  const busiest = query.group_by === "severity" ? null : await busiestKeys(ctx.db, range, key, query.limit);
  const named = busiest?.filter((k) => k !== null) ?? [];
  const onlyBusiest = !busiest
    ? sql``
    : sql`where ${named.length ? sql`key in ${named}` : sql`false`}${busiest.includes(null) ? sql` or key is null` : sql``}`;
  const rows = await runAnalyticsQuery<DurationAggregateRow & { key: string | null; bucket: number }>(
    ctx.db,
    sql`
    select bucket, key, ${durationAggregates}
    from ${countedDurations(range, sql`${bucketIndex(query.bucket)} as bucket, ${key} as key`)}
    ${onlyBusiest}
    group by 1, 2`,
  );

  const buckets = bucketStarts(range, query.bucket).map((d) => d.toISOString());
  const byKey = new Map<string | null, Map<string, TrendPoint>>();
  for (const row of rows) {
    const bucket = bucketStartOf(row.bucket, query.bucket).toISOString();
    if (!byKey.has(row.key)) byKey.set(row.key, new Map());
    byKey.get(row.key)!.set(bucket, { bucket, ...figuresOf(row) });
  }
  const series = [...byKey.entries()]
    .map(([seriesKey, points]) => ({
      key: seriesKey,
      count: [...points.values()].reduce((sum, p) => sum + p.count, 0),
      points: buckets.map((bucket) => points.get(bucket) ?? { bucket, ...withoutKey(emptyGroup(null)) }),
    }))
    .sort(groupOrder(query.group_by))
    .map(({ key: seriesKey, points }) => ({ key: seriesKey, points }));
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    group_by: query.group_by,
    bucket: query.bucket,
    buckets,
    series,
  };
}

async function busiestKeys(db: DbOrTx, range: TimeRange, key: SQL, limit: number): Promise<(string | null)[]> {
  const rows = await runAnalyticsQuery<{ key: string | null }>(
    db,
    sql`
    select ${key} as key from ${incidents} where ${countedIncidents(range)} group by 1 order by count(*) desc, 1 limit ${limit}`,
  );
  return rows.map((r) => r.key);
}

/**
 * The bucket as a number of whole days or weeks since the epoch, by arithmetic on the epoch seconds: per
 * row much cheaper than date_trunc with a time zone. 1970-01-01 was a Thursday, so Monday-based weeks
 * are shifted by three days (time-range.ts' bucketStart agrees, and a test holds them together).
 */
function bucketIndex(size: BucketSize): SQL {
  return size === "day"
    ? sql`floor(date_part('epoch', ${incidents.createdAt}) / 86400)::int`
    : sql`floor((date_part('epoch', ${incidents.createdAt}) / 86400 + 3) / 7)::int`;
}

const bucketStartOf = (index: number, size: BucketSize) =>
  new Date((size === "day" ? index : index * 7 - 3) * 86_400_000);

const withoutKey = <T extends { key: unknown }>({ key: _key, ...rest }: T) => rest;
