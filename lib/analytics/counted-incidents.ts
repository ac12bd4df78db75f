// SQL pieces every analytics query shares: which incidents count, the three durations, and how a set of
// durations becomes mean / p50 / p90 in the database (percentile_cont: the definition in duration-stats.ts).
import { sql, type SQL } from "drizzle-orm";
import { incidents } from "@/db/schema";
import { roundSeconds, type DurationStats } from "./duration-stats";
import type { GroupDimension } from "./schemas";
import type { TimeRange } from "./time-range";

/**
 * Incidents created in the range (half-open), drills and tests left out. Timestamps go in as ISO text:
 * drizzle's postgres.js driver passes Date parameters through unserialised.
 */
export function countedIncidents(range: TimeRange): SQL {
  return sql`${incidents.createdAt} >= ${range.from.toISOString()}::timestamptz
    and ${incidents.createdAt} < ${range.to.toISOString()}::timestamptz
    and not ${incidents.excludeFromMetrics}`;
}

// date_part gives float8 seconds directly; extract() goes through numeric, which cost a third of the
// summary's time at 250k incidents.
/**
 * Time to detect; null when nobody knows when the problem started (a declared incident without
 * detected_at). A detection stamped after the incident (clock skew between senders) counts as 0.
 * (greatest() skips nulls, so the unknown must stay null outside it.)
 */
export const mttdSeconds = sql`case when ${incidents.detectedAt} is not null then greatest(date_part('epoch', ${incidents.createdAt} - ${incidents.detectedAt}), 0) end`;
/** Time to acknowledge; null while nobody has acknowledged. */
export const mttaSeconds = sql`date_part('epoch', ${incidents.acknowledgedAt} - ${incidents.createdAt})`;
/** Time to resolve (to the latest resolution, for a reopened incident); null while unresolved. */
export const mttrSeconds = sql`date_part('epoch', ${incidents.resolvedAt} - ${incidents.createdAt})`;

/**
 * The column to group by; severity stays the enum so grouping sorts by its order, not by text. Names
 * group under the "C" collation: the same groups (equality is by bytes either way), but the sort that
 * precedes the grouping compares bytes instead of calling the locale (~20 ms of ~290 at 250k incidents).
 * The order shown is decided afterwards (groupOrder).
 */
export function groupColumn(dimension: GroupDimension): SQL {
  switch (dimension) {
    case "severity":
      return sql`${incidents.severity}`;
    case "service":
      return sql`${incidents.service} collate "C"`;
    case "team":
      return sql`${incidents.team} collate "C"`;
  }
}

/**
 * The range's counted incidents as rows of (the given columns, mttd, mtta, mttr), each duration computed
 * once. OFFSET 0 keeps PostgreSQL from inlining the subquery, which would evaluate every duration again
 * in each aggregate that reads it (a fifth of the query's time at 250k incidents).
 */
export function countedDurations(range: TimeRange, columns: SQL): SQL {
  return sql`(select ${columns}, ${mttdSeconds} as mttd, ${mttaSeconds} as mtta, ${mttrSeconds} as mttr
    from ${incidents} where ${countedIncidents(range)} offset 0) as counted`;
}

/** The per-group figures over countedDurations' rows: count, open, unacknowledged, undetected and each duration's stats. */
export const durationAggregates = sql.raw(
  [
    "count(*)::int as count",
    "count(*) filter (where mttr is null)::int as open",
    "count(*) filter (where mtta is null)::int as unacknowledged",
    "count(*) filter (where mttd is null)::int as undetected",
    ...["mttd", "mtta", "mttr"].map(
      (d) => `avg(${d}) as ${d}_mean, percentile_cont(array[0.5, 0.9]) within group (order by ${d}) as ${d}_pct`,
    ),
  ].join(", "),
);

/** A row carrying durationAggregates' columns, as postgres.js returns it. */
export interface DurationAggregateRow extends Record<string, unknown> {
  count: number;
  open: number;
  unacknowledged: number;
  undetected: number;
  mttd_mean: number | null;
  mttd_pct: number[] | null;
  mtta_mean: number | null;
  mtta_pct: number[] | null;
  mttr_mean: number | null;
  mttr_pct: number[] | null;
}

export function figuresOf(row: DurationAggregateRow) {
  const stats = (mean: number | null, pct: number[] | null): DurationStats => ({
    mean: roundSeconds(mean),
    p50: roundSeconds(pct?.[0] ?? null),
    p90: roundSeconds(pct?.[1] ?? null),
  });
  return {
    count: row.count,
    open: row.open,
    unacknowledged: row.unacknowledged,
    undetected: row.undetected,
    mttd: stats(row.mttd_mean, row.mttd_pct),
    mtta: stats(row.mtta_mean, row.mtta_pct),
    mttr: stats(row.mttr_mean, row.mttr_pct),
  };
}
