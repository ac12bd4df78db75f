// The deduplication figure: how many fewer messages people got than alert copies arrived.
import type { AnalyticsView } from "@/components/analytics/analytics-view";
import { DeduplicationFigures } from "@/components/analytics/deduplication-figures";
import { Panel } from "@/components/analytics/panel";
import { cachedDeduplication } from "@/lib/analytics/cached-verbs";
import { getRuntime } from "@/lib/runtime";
import { pageContext } from "../../page-context";

export async function DeduplicationPanel({ view }: { view: AnalyticsView }) {
  const ctx = await pageContext();
  const figure = await cachedDeduplication({
    ctx,
    input: { ...view.rangeQuery },
    ttlMs: getRuntime().config.analyticsCacheTtlMs,
  });
  return (
    <Panel
      title="Deduplication"
      description="alert copies received (every re-send counts) against notifications sent, per UTC day, service and team"
    >
      <DeduplicationFigures figure={figure} />
    </Panel>
  );
}
