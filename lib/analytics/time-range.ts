// The time range every analytics figure is computed over, and the day / week buckets of a trend.
// Incidents belong to a range by their created_at, half-open: from ≤ created_at < to. Buckets are UTC
// days, or ISO weeks starting on Monday 00:00 UTC.
import { z } from "zod";
import { invalid } from "../errors";

const DAY_MS = 86_400_000;
/** The widest range a query may cover: a year and a bit, so "last 12 months" fits and nothing scans forever. */
export const MAX_RANGE_DAYS = 400;
export const DEFAULT_RANGE_DAYS = 30;

/** An instant with an offset (2026-11-28T08:00:00Z), or a calendar date (2026-11-28, meaning 00:00 UTC). */
const Instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** A rolling range: the last N days up to now (`7d`, `30d`, `90d`). */
const LastDays = z.string().regex(/^[1-9]\d{0,2}d$/, "a number of days such as 7d, 30d or 90d");

export const TimeRangeQuery = z.object({
  from: Instant.optional().describe(
    `Start (inclusive), by created_at; default: ${DEFAULT_RANGE_DAYS} days before \`to\``,
  ),
  to: Instant.optional().describe("End (exclusive); default: now"),
  range: LastDays.optional().describe(
    "Instead of from and to: the last N days up to now (`7d`, `30d`, `90d`). Answers for such a rolling range are kept fresh by the worker (ANALYTICS_CACHE_TTL)",
  ),
});
export type TimeRangeQuery = z.input<typeof TimeRangeQuery>;

export const bucketSizes = ["day", "week"] as const;
export type BucketSize = (typeof bucketSizes)[number];

export interface TimeRange {
  from: Date;
  to: Date;
}

const toDate = (value: string) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);

/** One spelling per instant (`2026-10-01`, `2026-10-01T02:00:00+02:00` → `2026-10-01T00:00:00.000Z`). */
export const canonicalInstant = (value: string) => toDate(value).toISOString();

/** Applies the defaults and checks the range is the right way round and not too wide. */
export function resolveTimeRange(query: z.output<typeof TimeRangeQuery>, now: Date): TimeRange {
  if (query.range !== undefined) {
    if (query.from !== undefined || query.to !== undefined) {
      throw invalid("Give either `range` or `from` / `to`, not both", [
        { path: "range", message: "cannot be combined with from or to" },
      ]);
    }
    const days = Number.parseInt(query.range, 10);
    if (days > MAX_RANGE_DAYS)
      throw invalid(`The range may span at most ${MAX_RANGE_DAYS} days`, [
        { path: "range", message: `at most ${MAX_RANGE_DAYS}d` },
      ]);
    return { from: new Date(now.getTime() - days * DAY_MS), to: now };
  }
  const to = query.to ? toDate(query.to) : now;
  const from = query.from ? toDate(query.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime())
    throw invalid("`from` must be before `to`", [{ path: "from", message: "must be before to" }]);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw invalid(`The range may span at most ${MAX_RANGE_DAYS} days`, [
      { path: "from", message: `at most ${MAX_RANGE_DAYS} days before to` },
    ]);
  }
  return { from, to };
}

/** The start of the bucket holding `at`. */
export function bucketStart(at: Date, size: BucketSize): Date {
  const day = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  if (size === "day") return new Date(day);
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  return new Date(day - weekday * DAY_MS);
}

/** Every bucket that overlaps the range, oldest first; the first may start before `from`. */
export function bucketStarts(range: TimeRange, size: BucketSize): Date[] {
  const step = (size === "day" ? 1 : 7) * DAY_MS;
  const starts: Date[] = [];
  for (let t = bucketStart(range.from, size).getTime(); t < range.to.getTime(); t += step) starts.push(new Date(t));
  return starts;
}
