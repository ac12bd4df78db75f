// Alert noise: the headline shares, the noisiest alertnames with links to their rule in Prometheus and to
// their latest incidents, and the alert groups that keep flapping.
import Link from "next/link";
import type { AlertNoise } from "@/lib/analytics/schemas";
import { cell, DataTable, mutedCell } from "../ui/data-table";
import { formatCount, formatShare } from "./figures";
import { EmptyState, linkClass } from "./panel";

export function NoiseSummary({ noise }: { noise: AlertNoise }) {
  const figures = [
    [
      "False positives",
      `${formatShare(noise.false_positive_share)}`,
      `${formatCount(noise.false_positives)} of ${formatCount(noise.incidents)} incidents`,
    ],
    [
      "Alerts per incident",
      noise.alerts_per_incident.mean === null ? "—" : noise.alerts_per_incident.mean.toFixed(1),
      `p90 ${noise.alerts_per_incident.p90 ?? "—"}; ${formatCount(noise.alerts)} alerts`,
    ],
    ["Flapping groups", formatCount(noise.flapping_groups.length), "opened or reopened incidents repeatedly"],
  ] as const;
  return (
    <dl className="grid grid-cols-3 gap-3">
      {figures.map(([label, value, detail]) => (
        <div key={label}>
          <dt className="text-xs uppercase tracking-wide text-muted">{label}</dt>
          <dd className="text-xl font-semibold tabular-nums">{value}</dd>
          <dd className="text-xs text-muted">{detail}</dd>
        </div>
      ))}
    </dl>
  );
}

export function NoisiestAlertnames({ alertnames }: { alertnames: AlertNoise["noisiest_alertnames"] }) {
  if (alertnames.length === 0) return <EmptyState>No alerts in this range.</EmptyState>;
  return (
    <DataTable columns={["Alertname", "Incidents", "Alerts", "False positives", "Rule", "Latest incidents"]}>
      {alertnames.map((a) => (
        <tr key={a.alertname ?? "(none)"} data-testid="noisy-alertname">
          <td className={`${cell} font-mono text-xs`}>
            {a.alertname ?? <span className="text-muted">(no alertname)</span>}
          </td>
          <td className={`${cell} tabular-nums`}>{formatCount(a.incidents)}</td>
          <td className={`${mutedCell} tabular-nums`}>{formatCount(a.alerts)}</td>
          <td className={`${mutedCell} tabular-nums`}>{formatCount(a.false_positives)}</td>
          <td className={cell}>
            {a.generator_url ? (
              <a href={a.generator_url} className={linkClass} target="_blank" rel="noreferrer">
                Prometheus
              </a>
            ) : (
              "—"
            )}
          </td>
          <td className={`${cell} space-x-2 font-mono text-xs`}>
            {a.incident_refs.map((ref) => (
              <Link key={ref} href={`/incidents/${ref}`} className={linkClass}>
                {ref}
              </Link>
            ))}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function FlappingGroups({ groups, minCycles }: { groups: AlertNoise["flapping_groups"]; minCycles: number }) {
  if (groups.length === 0)
    return <EmptyState>No alert group opened or reopened incidents {minCycles} times or more.</EmptyState>;
  return (
    <DataTable columns={["Latest incident", "Service", "Incidents", "Reopenings", "Cycles", "Group key"]}>
      {groups.map((g) => (
        <tr key={g.group_key} data-testid="flapping-group">
          <td className={cell}>
            <Link href={`/incidents/${g.latest_incident_ref}`} className={linkClass}>
              <span className="mr-2 font-mono text-xs">{g.latest_incident_ref}</span>
              {g.latest_title}
            </Link>
          </td>
          <td className={mutedCell}>{g.service ?? "—"}</td>
          <td className={`${mutedCell} tabular-nums`}>{formatCount(g.incidents)}</td>
          <td className={`${mutedCell} tabular-nums`}>{formatCount(g.reopens)}</td>
          <td className={`${cell} font-semibold tabular-nums`}>{formatCount(g.cycles)}</td>
          <td className={`${mutedCell} max-w-xs truncate font-mono text-xs`} title={g.group_key}>
            {g.group_key}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
