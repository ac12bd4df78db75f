// How times to acknowledge and to resolve spread over fixed bins.
import type { AnalyticsView } from "@/components/analytics/analytics-view";
import { DistributionChart } from "@/components/analytics/bar-charts";
import { formatCount } from "@/components/analytics/figures";
import { EmptyState, Panel } from "@/components/analytics/panel";
import { cachedDistribution } from "@/lib/analytics/cached-verbs";
import { getRuntime } from "@/lib/runtime";
import { pageContext } from "../../page-context";

export async function DistributionPanel({ view }: { view: AnalyticsView }) {
  const ctx = await pageContext();
  const distribution = await cachedDistribution({
    ctx,
    input: { ...view.rangeQuery },
    ttlMs: getRuntime().config.analyticsCacheTtlMs,
  });
  const measured = distribution.bins.reduce((sum, b) => sum + b.mtta + b.mttr, 0);
  return (
    <Panel
      title="Spread"
      description={`not yet acknowledged: ${formatCount(distribution.unacknowledged)}; not yet resolved: ${formatCount(distribution.open)}`}
    >
      {measured === 0 ? (
        <EmptyState>No incident in this range was acknowledged or resolved yet.</EmptyState>
      ) : (
        <DistributionChart bins={distribution.bins} label="Incidents by time to acknowledge and to resolve" />
      )}
    </Panel>
  );
}
