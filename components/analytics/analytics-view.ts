// What the /analytics page shows, as it lives in the URL: a preset range (`range=7d|30d|90d`) or custom
// calendar days (`from`, `to`, both inclusive, UTC), the grouping and the trend buckets. Anything
// unreadable falls back to the defaults rather than failing the page; a custom range that cannot be used
// says why (`rangeProblem`).
import type { GroupDimension } from "@/lib/analytics/schemas";
import type { BucketSize } from "@/lib/analytics/time-range";

export const rangePresets = { "7d": 7, "30d": 30, "90d": 90 } as const;
export type RangePreset = keyof typeof rangePresets;

export interface AnalyticsView {
  preset: RangePreset | "custom";
  /** The half-open range the figures cover, as ISO instants. */
  from: string;
  to: string;
  /**
   * The range as the analytics verbs are asked for it: a preset as a rolling range (`range: "90d"`), whose
   * answers the worker keeps fresh in the store, or the custom days as `from` / `to`.
   */
  rangeQuery: { range: RangePreset } | { from: string; to: string };
  /** The calendar days shown in the custom-range inputs (`to` inclusive). */
  fromDay: string;
  toDay: string;
  groupBy: GroupDimension;
  bucket: BucketSize;
  /** Why the custom days asked for were not used (the page shows the default range instead). */
  rangeProblem?: string;
}

const DAY_MS = 86_400_000;
const isDay = (v: unknown): v is string =>
  typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function readAnalyticsView(params: Record<string, string | string[] | undefined>, now: Date): AnalyticsView {
  const groupBy = (["severity", "service", "team"] as const).find((g) => g === one(params.group_by)) ?? "severity";
  const fromDay = one(params.from);
  const toDay = one(params.to);
  let from: number;
  let to: number;
  let preset: AnalyticsView["preset"];
  let rangeProblem: string | undefined;
  if (isDay(fromDay) && isDay(toDay) && fromDay <= toDay && Date.parse(toDay) - Date.parse(fromDay) < 366 * DAY_MS) {
    preset = "custom";
    from = Date.parse(`${fromDay}T00:00:00Z`);
    to = Date.parse(`${toDay}T00:00:00Z`) + DAY_MS;
  } else {
    if (fromDay !== undefined || toDay !== undefined) rangeProblem = customRangeProblem(fromDay, toDay);
    preset = (Object.keys(rangePresets) as RangePreset[]).find((p) => p === one(params.range)) ?? "30d";
    to = now.getTime();
    from = to - rangePresets[preset] * DAY_MS;
  }
  const bucket =
    one(params.bucket) === "week" || (one(params.bucket) !== "day" && to - from > 45 * DAY_MS) ? "week" : "day";
  const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  return {
    preset,
    ...range,
    rangeQuery: preset === "custom" ? range : { range: preset },
    fromDay: day(from),
    toDay: day(to - 1),
    groupBy,
    bucket,
    ...(rangeProblem ? { rangeProblem } : {}),
  };
}

function customRangeProblem(fromDay: string | undefined, toDay: string | undefined): string {
  if (!isDay(fromDay) || !isDay(toDay))
    return "a custom range needs both its first and last day, as dates such as 2026-11-01";
  if (fromDay > toDay) return `its first day (${fromDay}) is after its last (${toDay})`;
  return "it is longer than a year";
}

/** The page's URL for this view with some of it changed (the links of the range picker and the group tabs). */
export function analyticsHref(
  view: AnalyticsView,
  change: Partial<Pick<AnalyticsView, "preset" | "groupBy" | "bucket">>,
): string {
  const next = { ...view, ...change };
  const params = new URLSearchParams();
  if (next.preset === "custom") {
    params.set("from", next.fromDay);
    params.set("to", next.toDay);
  } else params.set("range", next.preset);
  params.set("group_by", next.groupBy);
  // A new range picks its own bucket size (days up to 45 days, weeks beyond) unless one is asked for.
  if (!change.preset || change.bucket) params.set("bucket", next.bucket);
  return `/analytics?${params}`;
}

/**
 * The incident list narrowed to what a figure counts (drill-down): the same filters the list API takes,
 * the range as created_after / created_before (end exclusive, like the analytics), and only the
 * incidents the analytics count (no drills).
 */
export function incidentListHref(
  view: Pick<AnalyticsView, "from" | "to">,
  filters: { severity?: string; service?: string; team?: string; status?: string[] } = {},
): string {
  const params = new URLSearchParams({ created_after: view.from, created_before: view.to, counted: "true" });
  for (const key of ["severity", "service", "team"] as const) if (filters[key]) params.set(key, filters[key]!);
  for (const status of filters.status ?? []) params.append("status", status);
  return `/incidents?${params}`;
}
