// /analytics – MTTD / MTTA / MTTR, their trends and spread, alert noise, deduplication, notifications, on-call load and remediation over
// a time range kept in the URL. Each panel loads on its own (Suspense) from lib/analytics.
import { Suspense } from "react";
import { readAnalyticsView } from "@/components/analytics/analytics-view";
import { PanelSkeleton } from "@/components/analytics/panel";
import { TimeRangePicker } from "@/components/analytics/time-range-picker";
import { pageContext } from "../page-context";
import { DeduplicationPanel } from "./_panels/deduplication-panel";
import { DistributionPanel } from "./_panels/distribution-panel";
import { DurationPanels } from "./_panels/duration-panels";
import { NoisePanels } from "./_panels/noise-panels";
import { NotificationsPanel } from "./_panels/notifications-panel";
import { OncallPanel } from "./_panels/oncall-panel";
import { RemediationPanel } from "./_panels/remediation-panel";
import { TrendPanels } from "./_panels/trend-panels";

export const metadata = { title: "Analytics" };

export default async function AnalyticsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { now } = await pageContext();
  const view = readAnalyticsView(await searchParams, now);
  const days = `${view.fromDay} – ${view.toDay} (UTC)`;
  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <div className="flex items-baseline gap-3">
          <h1 className="text-xl font-semibold">Analytics</h1>
          <span className="text-sm text-muted">Incidents created {days}; drills and tests left out</span>
        </div>
        <TimeRangePicker view={view} />
        {view.rangeProblem && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="range-problem">
            That range cannot be used: {view.rangeProblem}. Showing {days} instead.
          </p>
        )}
      </div>
      {/* The key makes a new range show the skeletons again instead of the previous range's figures. */}
      <Suspense
        key={`summary-${view.from}-${view.to}-${view.groupBy}`}
        fallback={<PanelSkeleton title="Time to detect, acknowledge and resolve" height={320} />}
      >
        <DurationPanels view={view} />
      </Suspense>
      <Suspense
        key={`trends-${view.from}-${view.to}-${view.groupBy}-${view.bucket}`}
        fallback={<PanelSkeleton title="Trends" height={560} />}
      >
        <TrendPanels view={view} />
      </Suspense>
      <div className="grid gap-6 lg:grid-cols-2">
        <Suspense key={`distribution-${view.from}-${view.to}`} fallback={<PanelSkeleton title="Spread" />}>
          <DistributionPanel view={view} />
        </Suspense>
        <Suspense key={`notifications-${view.from}-${view.to}`} fallback={<PanelSkeleton title="Notifications" />}>
          <NotificationsPanel view={view} />
        </Suspense>
      </div>
      <Suspense key={`noise-${view.from}-${view.to}`} fallback={<PanelSkeleton title="Alert noise" height={360} />}>
        <NoisePanels view={view} />
      </Suspense>
      <Suspense
        key={`deduplication-${view.from}-${view.to}`}
        fallback={<PanelSkeleton title="Deduplication" height={200} />}
      >
        <DeduplicationPanel view={view} />
      </Suspense>
      <Suspense key={`oncall-${view.from}-${view.to}`} fallback={<PanelSkeleton title="On-call load" height={360} />}>
        <OncallPanel view={view} />
      </Suspense>
      <Suspense
        key={`remediation-${view.from}-${view.to}`}
        fallback={<PanelSkeleton title="Auto-remediation" height={80} />}
      >
        <RemediationPanel view={view} />
      </Suspense>
    </div>
  );
}
