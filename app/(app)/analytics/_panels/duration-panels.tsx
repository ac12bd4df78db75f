// The range's MTTx: totals as cards, then one row per severity, service or team, each linked to the list.
import { incidentListHref, type AnalyticsView } from "@/components/analytics/analytics-view";
import { DurationCards, DurationTable, type DrillLinks } from "@/components/analytics/duration-figures";
import { EmptyState, Panel } from "@/components/analytics/panel";
import { cachedSummary } from "@/lib/analytics/cached-verbs";
import { getRuntime } from "@/lib/runtime";
import type { GroupDimension } from "@/lib/analytics/schemas";
import { pageContext } from "../../page-context";

const unresolved = ["open", "acknowledged", "investigating"];

function drillLinks(view: AnalyticsView, filter: Partial<Record<GroupDimension, string>> | null): DrillLinks {
  if (!filter) return { all: null, open: null, unacknowledged: null };
  return {
    all: incidentListHref(view, filter),
    open: incidentListHref(view, { ...filter, status: unresolved }),
    // Still waiting for someone; the ones resolved without an acknowledgement are in the "all" list.
    unacknowledged: incidentListHref(view, { ...filter, status: ["open"] }),
  };
}

export async function DurationPanels({ view }: { view: AnalyticsView }) {
  const ctx = await pageContext();
  const summary = await cachedSummary({ ctx, input: { from: view.from, to: view.to, group_by: view.groupBy }, ttlMs: getRuntime().config.analyticsCacheTtlMs });
  return (
    <div className="space-y-4">
      <DurationCards total={summary.total} links={drillLinks(view, {})} />
      <Panel title={`By ${view.groupBy}`} description="p50 / p90; hover for the mean. Open and unacknowledged incidents are counted apart, never as zero.">
        {summary.groups.length === 0 ? (
          <EmptyState>No incidents were created in this range.</EmptyState>
        ) : (
          <DurationTable
            keyLabel={view.groupBy}
            rows={summary.groups.map((group) => ({ group, links: drillLinks(view, group.key === null ? null : { [view.groupBy]: group.key }) }))}
          />
        )}
      </Panel>
    </div>
  );
}
