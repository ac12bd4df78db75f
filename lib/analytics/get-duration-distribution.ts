// How times to acknowledge and to resolve spread: incident counts in fixed bins (≤ 5 min … > 1 day).
// A histogram tells what a mean hides: a few incidents left open over a weekend next to a fast majority.
import { sql } from "drizzle-orm";
import { incidents } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { countedIncidents, mttaSeconds, mttrSeconds } from "./counted-incidents";
import type { DurationDistribution } from "./schemas";
import { runAnalyticsQuery } from "./run-analytics-query";
import { resolveTimeRange, TimeRangeQuery } from "./time-range";

/** Exclusive upper bounds in seconds, with the label people read; a last bin takes everything longer. */
export const distributionBins = [
  { upper: 300, label: "< 5 min" },
  { upper: 900, label: "5–15 min" },
  { upper: 1800, label: "15–30 min" },
  { upper: 3600, label: "30–60 min" },
  { upper: 4 * 3600, label: "1–4 h" },
  { upper: 24 * 3600, label: "4–24 h" },
] as const;
const lastBinLabel = "≥ 1 day";

export async function getDurationDistribution({ ctx, input }: VerbArgs<TimeRangeQuery>): Promise<DurationDistribution> {
  authorize(ctx.actor, "analytics.read");
  const range = resolveTimeRange(parseInput(TimeRangeQuery, input, "query"), ctx.now);
  const bounds = sql.raw(`array[${distributionBins.map((b) => b.upper).join(", ")}]::float8[]`);
  // width_bucket counts the bounds at or below a value: 0 below 5 min, 1 from 5 up to 15 min, and so on;
  // null while unacknowledged or unresolved. One pass: at most 8 × 8 (acknowledged bin, resolved bin) groups.
  const rows = await runAnalyticsQuery<{ mtta_bin: number | null; mttr_bin: number | null; n: number }>(
    ctx.db,
    sql`
    select width_bucket(${mttaSeconds}, ${bounds}) as mtta_bin, width_bucket(${mttrSeconds}, ${bounds}) as mttr_bin, count(*)::int as n
    from ${incidents}
    where ${countedIncidents(range)}
    group by 1, 2`,
  );
  const count = (pick: (r: (typeof rows)[number]) => boolean) => rows.filter(pick).reduce((sum, r) => sum + r.n, 0);

  const labels = [
    ...distributionBins.map((b) => ({ label: b.label, upper_seconds: b.upper as number | null })),
    { label: lastBinLabel, upper_seconds: null },
  ];
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    bins: labels.map((bin, i) => ({
      ...bin,
      mtta: count((r) => r.mtta_bin === i),
      mttr: count((r) => r.mttr_bin === i),
    })),
    unacknowledged: count((r) => r.mtta_bin === null),
    open: count((r) => r.mttr_bin === null),
  };
}
