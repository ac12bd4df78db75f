// Trends per day or week: p50 time to acknowledge and to resolve per group, and how many incidents.
import type { AnalyticsView } from "@/components/analytics/analytics-view";
import { EmptyState, Panel } from "@/components/analytics/panel";
import { DurationTrendChart, IncidentVolumeChart, type TrendSeries } from "@/components/analytics/trend-charts";
import { cachedTrends } from "@/lib/analytics/cached-verbs";
import { getRuntime } from "@/lib/runtime";
import type { DurationTrends } from "@/lib/analytics/schemas";
import { pageContext } from "../../page-context";

const seriesOf = (
  trends: DurationTrends,
  pick: (p: DurationTrends["series"][number]["points"][number]) => number | null,
): TrendSeries[] =>
  trends.series.map((s) => ({ key: s.key ?? "(none)", label: s.key ?? "(none)", values: s.points.map(pick) }));

export async function TrendPanels({ view }: { view: AnalyticsView }) {
  const ctx = await pageContext();
  const trends = await cachedTrends({
    ctx,
    input: { ...view.rangeQuery, group_by: view.groupBy, bucket: view.bucket },
    ttlMs: getRuntime().config.analyticsCacheTtlMs,
  });
  const per = `per ${view.bucket}, by ${view.groupBy}${view.groupBy === "severity" ? "" : " (the 10 busiest)"}`;
  if (trends.series.length === 0) {
    return (
      <Panel title="Trends">
        <EmptyState>No incidents were created in this range, so there is no trend to draw.</EmptyState>
      </Panel>
    );
  }
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Panel title="Time to acknowledge" description={`p50 ${per}`}>
        <DurationTrendChart
          buckets={trends.buckets}
          series={seriesOf(trends, (p) => p.mtta.p50)}
          label={`Median time to acknowledge ${per}`}
        />
      </Panel>
      <Panel title="Time to resolve" description={`p50 ${per}`}>
        <DurationTrendChart
          buckets={trends.buckets}
          series={seriesOf(trends, (p) => p.mttr.p50)}
          label={`Median time to resolve ${per}`}
        />
      </Panel>
      <Panel title="Incidents" description={`created ${per}`} className="lg:col-span-2">
        <IncidentVolumeChart
          buckets={trends.buckets}
          series={seriesOf(trends, (p) => p.count)}
          label={`Incidents created ${per}`}
        />
      </Panel>
    </div>
  );
}
