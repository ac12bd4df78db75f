// The range's MTTx: totals as cards, then one row per severity, service or team, each linked to the list.
import { incidentListHref, type AnalyticsView } from "@/components/analytics/analytics-view";
import { DurationCards, DurationTable, type DrillLinks } from "@/components/analytics/duration-figures";
import { EmptyState, Panel } from "@/components/analytics/panel";
import { cachedSummary } from "@/lib/analytics/cached-verbs";
import { getRuntime } from "@/lib/runtime";
import type { GroupDimension } from "@/lib/analytics/schemas";
import { pageContext } from "../../page-context";

const unresolved = ["open", "acknowledged", "investigating"];

/** Links to the incidents a figure counts, over the range the figures were computed for (a stored answer's). */
function drillLinks(
  range: { from: string; to: string },
  filter: Partial<Record<GroupDimension, string>> | null,
): DrillLinks {
  if (!filter) return { all: null, open: null, unacknowledged: null };
  return {
    all: incidentListHref(range, filter),
    open: incidentListHref(range, { ...filter, status: unresolved }),
    // Still waiting for someone; the ones resolved without an acknowledgement are in the "all" list.
    unacknowledged: incidentListHref(range, { ...filter, status: ["open"] }),
  };
}

export async function DurationPanels({ view }: { view: AnalyticsView }) {
  const ctx = await pageContext();
  const summary = await cachedSummary({
    ctx,
    input: { ...view.rangeQuery, group_by: view.groupBy },
    ttlMs: getRuntime().config.analyticsCacheTtlMs,
  });
  return (
    <div className="space-y-4">
      <DurationCards total={summary.total} links={drillLinks(summary, {})} />
      {view.preset !== "custom" && (
        // A rolling range is served from the answer store: say which moment its figures are of.
        <p className="text-xs text-muted" data-testid="figures-as-of">
          Figures as of {summary.to.slice(11, 19)} UTC
        </p>
      )}
      <Panel
        title={`By ${view.groupBy}`}
        description="p50 / p90; hover for the mean. Open and unacknowledged incidents are counted apart, never as zero."
      >
        {summary.groups.length === 0 ? (
          <EmptyState>No incidents were created in this range.</EmptyState>
        ) : (
          <DurationTable
            keyLabel={view.groupBy}
            rows={summary.groups.map((group) => ({
              group,
              links: drillLinks(summary, group.key === null ? null : { [view.groupBy]: group.key }),
            }))}
          />
        )}
      </Panel>
    </div>
  );
}
