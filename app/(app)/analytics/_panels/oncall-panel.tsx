// On-call load: how far escalations got before someone acknowledged, and pages and nights interrupted
// per person, from the escalation engine's record.
import type { AnalyticsView } from "@/components/analytics/analytics-view";
import { CountBarChart } from "@/components/analytics/bar-charts";
import { formatCount, formatSeconds, formatShare } from "@/components/analytics/figures";
import { EmptyState, Panel } from "@/components/analytics/panel";
import { IncidentVolumeChart } from "@/components/analytics/trend-charts";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { cachedOncallLoad } from "@/lib/analytics/cached-verbs";
import type { OncallLoad } from "@/lib/analytics/schemas";
import { getRuntime } from "@/lib/runtime";
import { pageContext } from "../../page-context";

/** People shown apart in the weekly chart; the rest are summed as "everyone else". */
const CHART_PEOPLE = 8;

const stepLabel = (step: number) => (step === 0 ? "before any page" : `step ${step}`);

export async function OncallPanel({ view }: { view: AnalyticsView }) {
  const ctx = await pageContext();
  const load = await cachedOncallLoad({
    ctx,
    input: { ...view.rangeQuery },
    ttlMs: getRuntime().config.analyticsCacheTtlMs,
  });
  return (
    <Panel
      title="On-call load"
      description="escalations started and pages sent in the range; a night is 22:00-07:00 in the person's time zone"
    >
      {load.escalations === 0 && load.people.length === 0 ? (
        <EmptyState>No pages in this range.</EmptyState>
      ) : (
        <div className="space-y-6">
          <p className="text-sm">
            <span className="text-2xl font-semibold tabular-nums">{formatShare(load.reached_step_2_share)}</span> of{" "}
            {formatCount(load.escalations)} escalations paged at step 2 or later; time to acknowledge: median{" "}
            {formatSeconds(load.time_to_ack.p50)}, p90 {formatSeconds(load.time_to_ack.p90)} (
            {formatCount(load.unacknowledged)} not acknowledged).
          </p>
          <div className="grid gap-6 lg:grid-cols-2">
            <StepsReached load={load} />
            <PagesPerWeek load={load} />
          </div>
          <PeopleLoad load={load} />
        </div>
      )}
    </Panel>
  );
}

function StepsReached({ load }: { load: OncallLoad }) {
  const rows = load.by_step.map((s) => ({
    label: stepLabel(s.step),
    acknowledged: s.acknowledged,
    unacknowledged: s.escalations - s.acknowledged,
  }));
  return (
    <div className="space-y-3">
      <h3 className="text-sm font-medium">Last step that paged before the acknowledgement</h3>
      <CountBarChart
        rows={rows}
        category="label"
        bars={[
          { key: "acknowledged", name: "acknowledged", fill: "#16a34a", stack: "runs" },
          { key: "unacknowledged", name: "not acknowledged", fill: "#a1a1aa", stack: "runs" },
        ]}
        label="Escalations by the last step that paged before the acknowledgement"
        testId="steps-reached-chart"
      />
      <DataTable columns={["Step", "Escalations", "Median to ack", "p90 to ack"]}>
        {load.by_step.map((s) => (
          <tr key={s.step} data-testid="step-reached-row">
            <td className={cell}>{stepLabel(s.step)}</td>
            <td className={`${cell} tabular-nums`}>{formatCount(s.escalations)}</td>
            <td className={`${mutedCell} tabular-nums`}>{formatSeconds(s.time_to_ack.p50)}</td>
            <td className={`${mutedCell} tabular-nums`}>{formatSeconds(s.time_to_ack.p90)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function PagesPerWeek({ load }: { load: OncallLoad }) {
  const shown = load.people.slice(0, CHART_PEOPLE);
  const rest = new Set(load.people.slice(CHART_PEOPLE).map((p) => p.user_id));
  const pagesIn = (week: string, match: (userId: string) => boolean) =>
    load.load.filter((l) => l.week === week && match(l.user_id)).reduce((sum, l) => sum + l.pages, 0);
  const series = shown.map((p) => ({
    key: p.user_id,
    label: p.name,
    values: load.weeks.map((w) => pagesIn(w, (id) => id === p.user_id)),
  }));
  if (rest.size > 0)
    series.push({
      key: "everyone else",
      label: `${rest.size} others`,
      values: load.weeks.map((w) => pagesIn(w, (id) => rest.has(id))),
    });
  return (
    <div className="space-y-3">
      <h3 className="text-sm font-medium">Pages per person per week</h3>
      {load.people.length === 0 ? (
        <EmptyState>No pages in this range.</EmptyState>
      ) : (
        <IncidentVolumeChart
          buckets={load.weeks.map((w) => `${w}T00:00:00.000Z`)}
          series={series}
          label="Pages sent per person per week (each person's own weeks)"
          testId="pages-per-week-chart"
        />
      )}
    </div>
  );
}

function PeopleLoad({ load }: { load: OncallLoad }) {
  if (load.people.length === 0) return null;
  const worstWeek = (userId: string) =>
    load.load.filter((l) => l.user_id === userId).reduce((most, l) => Math.max(most, l.nights_interrupted), 0);
  return (
    <DataTable
      columns={["Person", "Pages", "Messages", "Incidents", "Nights interrupted", "Most nights in a week"]}
      label="Pages and nights interrupted per person"
    >
      {load.people.map((p) => (
        <tr key={p.user_id} data-testid="person-load-row">
          <td className={cell}>
            {p.name}
            <span className="block text-xs text-muted">
              {p.time_zone_known ? p.time_zone : "no time zone set: nights read in UTC"}
            </span>
          </td>
          <td className={`${cell} tabular-nums`}>{formatCount(p.pages)}</td>
          <td className={`${mutedCell} tabular-nums`}>{formatCount(p.messages)}</td>
          <td className={`${mutedCell} tabular-nums`}>{formatCount(p.incidents)}</td>
          <td className={`${cell} tabular-nums`}>{formatCount(p.nights_interrupted)}</td>
          <td className={`${mutedCell} tabular-nums`}>{formatCount(worstWeek(p.user_id))}</td>
        </tr>
      ))}
    </DataTable>
  );
}
