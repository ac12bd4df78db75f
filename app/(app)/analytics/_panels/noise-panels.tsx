// Alert noise: false positives, alerts per incident, the noisiest alertnames and flapping groups.
import type { AnalyticsView } from "@/components/analytics/analytics-view";
import { FlappingGroups, NoiseSummary, NoisiestAlertnames } from "@/components/analytics/noise-tables";
import { Panel } from "@/components/analytics/panel";
import { cachedNoise } from "@/lib/analytics/cached-verbs";
import { getRuntime } from "@/lib/runtime";
import { pageContext } from "../../page-context";

const MIN_CYCLES = 3;

export async function NoisePanels({ view }: { view: AnalyticsView }) {
  const ctx = await pageContext();
  const noise = await cachedNoise({
    ctx,
    input: { ...view.rangeQuery, min_cycles: MIN_CYCLES },
    ttlMs: getRuntime().config.analyticsCacheTtlMs,
  });
  return (
    <Panel title="Alert noise" description="false positives are marked by responders, with a reason">
      <div className="space-y-4">
        <NoiseSummary noise={noise} />
        <div>
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-muted">Noisiest alertnames</h3>
          <NoisiestAlertnames alertnames={noise.noisiest_alertnames} />
        </div>
        <div>
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-muted">Flapping alert groups</h3>
          <FlappingGroups groups={noise.flapping_groups} minCycles={MIN_CYCLES} />
        </div>
      </div>
    </Panel>
  );
}
