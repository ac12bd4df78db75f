// The range and grouping of /analytics, kept in the URL: preset links, custom calendar days (a plain GET
// form, so it works before any JavaScript), and the grouping tabs.
import Link from "next/link";
import { groupDimensions } from "@/lib/analytics/schemas";
import { analyticsHref, rangePresets, type AnalyticsView, type RangePreset } from "./analytics-view";
import { Button } from "../ui/button";

const tab = "rounded px-2.5 py-1 text-sm";
const tabState = (active: boolean) =>
  active
    ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
    : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800";
const input = "rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

export function TimeRangePicker({ view }: { view: AnalyticsView }) {
  return (
    <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
      <nav aria-label="Time range" className="flex items-center gap-1">
        {(Object.keys(rangePresets) as RangePreset[]).map((preset) => (
          <Link
            key={preset}
            href={analyticsHref(view, { preset })}
            className={`${tab} ${tabState(view.preset === preset)}`}
            aria-current={view.preset === preset ? "page" : undefined}
          >
            Last {rangePresets[preset]} days
          </Link>
        ))}
      </nav>
      <form method="get" action="/analytics" className="flex items-center gap-2" aria-label="Custom range">
        <input type="hidden" name="group_by" value={view.groupBy} />
        <label className="text-xs text-muted">
          From <input type="date" name="from" defaultValue={view.fromDay} className={input} required />
        </label>
        <label className="text-xs text-muted">
          to <input type="date" name="to" defaultValue={view.toDay} className={input} required />
        </label>
        <Button type="submit">Apply</Button>
      </form>
      <nav aria-label="Group by" className="flex items-center gap-1">
        <span className="text-xs text-muted">By</span>
        {groupDimensions.map((groupBy) => (
          <Link
            key={groupBy}
            href={analyticsHref(view, { groupBy })}
            className={`${tab} ${tabState(view.groupBy === groupBy)}`}
            aria-current={view.groupBy === groupBy ? "page" : undefined}
          >
            {groupBy}
          </Link>
        ))}
      </nav>
      <nav aria-label="Buckets" className="flex items-center gap-1">
        {(["day", "week"] as const).map((bucket) => (
          <Link
            key={bucket}
            href={analyticsHref(view, { bucket })}
            className={`${tab} ${tabState(view.bucket === bucket)}`}
            aria-current={view.bucket === bucket ? "page" : undefined}
          >
            per {bucket}
          </Link>
        ))}
      </nav>
    </div>
  );
}
