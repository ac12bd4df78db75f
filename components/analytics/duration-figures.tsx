// The MTTx figures as cards (the range's totals) and as a table (one row per severity, service or team),
// with open, unacknowledged and undetected incidents shown apart and linked to the incident list.
import Link from "next/link";
import type { DurationGroup } from "@/lib/analytics/schemas";
import { cell, DataTable, mutedCell } from "../ui/data-table";
import { formatCount, formatSeconds } from "./figures";
import { linkClass } from "./panel";

export interface DrillLinks {
  /** All the group's incidents in the range; null when the list cannot filter to it (no service, say). */
  all: string | null;
  open: string | null;
  unacknowledged: string | null;
}

function Card({ label, value, detail, href }: { label: string; value: string; detail?: string; href?: string | null }) {
  const body = (
    <>
      <div className="text-xs uppercase tracking-wide text-muted">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums">{value}</div>
      {detail && <div className="mt-0.5 text-xs text-muted">{detail}</div>}
    </>
  );
  const frame = "block rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900";
  return href ? (
    <Link href={href} className={`${frame} hover:border-zinc-400`}>
      {body}
    </Link>
  ) : (
    <div className={frame}>{body}</div>
  );
}

export function DurationCards({ total, links }: { total: DurationGroup; links: DrillLinks }) {
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-6" data-testid="analytics-kpis">
      <Card label="Incidents" value={formatCount(total.count)} detail="created in the range" href={links.all} />
      <Card label="Still open" value={formatCount(total.open)} detail="not in MTTR" href={links.open} />
      <Card
        label="Unacknowledged"
        value={formatCount(total.unacknowledged)}
        detail="not in MTTA"
        href={links.unacknowledged}
      />
      <Card
        label="MTTD p50"
        value={formatSeconds(total.mttd.p50)}
        detail={`mean ${formatSeconds(total.mttd.mean)}${total.undetected > 0 ? ` · ${formatCount(total.undetected)} without a detection time, not in MTTD` : ""}`}
      />
      <Card
        label="MTTA p50"
        value={formatSeconds(total.mtta.p50)}
        detail={`mean ${formatSeconds(total.mtta.mean)} · p90 ${formatSeconds(total.mtta.p90)}`}
      />
      <Card
        label="MTTR p50"
        value={formatSeconds(total.mttr.p50)}
        detail={`mean ${formatSeconds(total.mttr.mean)} · p90 ${formatSeconds(total.mttr.p90)}`}
      />
    </div>
  );
}

export function DurationTable({
  rows,
  keyLabel,
}: {
  rows: { group: DurationGroup; links: DrillLinks }[];
  keyLabel: string;
}) {
  const stats = (s: DurationGroup["mtta"]) => (
    <span title={`mean ${formatSeconds(s.mean)} · p50 ${formatSeconds(s.p50)} · p90 ${formatSeconds(s.p90)}`}>
      {formatSeconds(s.p50)} <span className="text-muted">/ {formatSeconds(s.p90)}</span>
    </span>
  );
  const count = (n: number, href: string | null) =>
    href && n > 0 ? (
      <Link href={href} className={linkClass}>
        {formatCount(n)}
      </Link>
    ) : (
      formatCount(n)
    );
  return (
    <DataTable
      columns={[
        keyLabel,
        "Incidents",
        "Open",
        "Unacknowledged",
        "MTTD p50 / p90",
        "MTTA p50 / p90",
        "MTTR p50 / p90",
        "MTTR mean",
      ]}
    >
      {rows.map(({ group, links }) => (
        <tr key={group.key ?? "(none)"} data-testid="duration-row">
          <td className={`${cell} font-medium`}>{group.key ?? <span className="text-muted">(none)</span>}</td>
          <td className={`${cell} tabular-nums`}>{count(group.count, links.all)}</td>
          <td className={`${mutedCell} tabular-nums`}>{count(group.open, links.open)}</td>
          <td className={`${mutedCell} tabular-nums`}>{count(group.unacknowledged, links.unacknowledged)}</td>
          <td className={`${mutedCell} tabular-nums`}>{stats(group.mttd)}</td>
          <td className={`${cell} tabular-nums`}>{stats(group.mtta)}</td>
          <td className={`${cell} tabular-nums`}>{stats(group.mttr)}</td>
          <td className={`${mutedCell} tabular-nums`}>{formatSeconds(group.mttr.mean)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
