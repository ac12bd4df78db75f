// Auto-remediation success: of the automatic runs that finished, the share that succeeded.
import type { AnalyticsView } from "@/components/analytics/analytics-view";
import { formatCount, formatShare } from "@/components/analytics/figures";
import { EmptyState, Panel } from "@/components/analytics/panel";
import { cachedRemediationSuccess } from "@/lib/analytics/cached-verbs";
import { getRuntime } from "@/lib/runtime";
import { pageContext } from "../../page-context";

export async function RemediationPanel({ view }: { view: AnalyticsView }) {
  const ctx = await pageContext();
  const remediation = await cachedRemediationSuccess({
    ctx,
    input: { ...view.rangeQuery },
    ttlMs: getRuntime().config.analyticsCacheTtlMs,
  });
  return (
    <Panel title="Auto-remediation" description="runs that succeeded, of those that finished">
      {!remediation.available ? (
        <EmptyState>Not available yet. {remediation.reason}</EmptyState>
      ) : remediation.runs === 0 ? (
        <EmptyState>No remediation ran in this range.</EmptyState>
      ) : (
        <p className="text-sm">
          <span className="text-2xl font-semibold tabular-nums">{formatShare(remediation.success_share)}</span> of{" "}
          {formatCount(remediation.succeeded + remediation.failed)} finished runs succeeded (
          {formatCount(remediation.runs)} runs in all).
        </p>
      )}
    </Panel>
  );
}
