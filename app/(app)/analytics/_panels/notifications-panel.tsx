// Notification volume and failures per channel, from the delivery log.
import type { AnalyticsView } from "@/components/analytics/analytics-view";
import { NotificationChart } from "@/components/analytics/bar-charts";
import { formatCount, formatShare } from "@/components/analytics/figures";
import { EmptyState, Panel } from "@/components/analytics/panel";
import { cachedNotificationVolume } from "@/lib/analytics/cached-verbs";
import { getRuntime } from "@/lib/runtime";
import { pageContext } from "../../page-context";

export async function NotificationsPanel({ view }: { view: AnalyticsView }) {
  const ctx = await pageContext();
  const { channels } = await cachedNotificationVolume({
    ctx,
    input: { ...view.rangeQuery },
    ttlMs: getRuntime().config.analyticsCacheTtlMs,
  });
  const total = channels.reduce((sum, c) => sum + c.total, 0);
  return (
    <Panel
      title="Notifications"
      description="messages per channel by outcome; failed = given up after the last attempt"
    >
      {total === 0 ? (
        <EmptyState>No notification was sent in this range.</EmptyState>
      ) : (
        <>
          <NotificationChart channels={channels} label="Notifications per channel: sent, failed and pending" />
          <ul className="mt-2 flex flex-wrap gap-x-4 text-xs text-muted">
            {channels.map((c) => (
              <li key={c.channel}>
                {c.channel}: {formatCount(c.total)} messages, {formatShare(c.failure_share)} failed,{" "}
                {formatCount(c.fallbacks)} fallbacks
              </li>
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}
