// The deduplication figure: alert copies received against notifications sent, as a percentage cut, in all
// and per day, service and team.
import type { Deduplication } from "@/lib/analytics/schemas";
import { cell, DataTable, mutedCell } from "../ui/data-table";
import { formatCount } from "./figures";
import { EmptyState } from "./panel";

/** 62.5 → "62.5 %"; a negative cut (more messages than alerts) keeps its sign; "—" without alerts. */
export const formatCut = (percent: number | null) => (percent === null ? "—" : `${percent.toFixed(1)} %`);

/** Rows beyond this are left to the API (GET /api/v1/analytics/deduplication has them all). */
const MAX_ROWS = 50;

export function DeduplicationFigures({ figure }: { figure: Deduplication }) {
  if (figure.alerts_received === 0 && figure.notifications_sent === 0)
    return <EmptyState>No alert arrived and no notification went out in this range.</EmptyState>;
  return (
    <div className="space-y-3">
      <p className="text-sm" data-testid="deduplication-total">
        <span className="text-2xl font-semibold tabular-nums">{formatCut(figure.reduction_percent)}</span> fewer
        messages than alerts: {formatCount(figure.alerts_received)} alert copies received,{" "}
        {formatCount(figure.notifications_sent)} notifications sent ({figure.first_day} – {figure.last_day}, UTC days).
      </p>
      <DataTable columns={["Day", "Service", "Team", "Alerts received", "Notifications sent", "Cut"]}>
        {figure.rows.slice(0, MAX_ROWS).map((r) => (
          <tr key={`${r.day}|${r.service}|${r.team}`} data-testid="deduplication-row">
            <td className={`${mutedCell} tabular-nums`}>{r.day}</td>
            <td className={cell}>{r.service ?? <span className="text-muted">(none)</span>}</td>
            <td className={mutedCell}>{r.team ?? "—"}</td>
            <td className={`${cell} tabular-nums`}>{formatCount(r.alerts_received)}</td>
            <td className={`${cell} tabular-nums`}>{formatCount(r.notifications_sent)}</td>
            <td className={`${cell} tabular-nums`}>{formatCut(r.reduction_percent)}</td>
          </tr>
        ))}
      </DataTable>
      {figure.rows.length > MAX_ROWS && (
        <p className="text-xs text-muted">
          The {MAX_ROWS} newest of {formatCount(figure.rows.length)} rows; the API has them all.
        </p>
      )}
    </div>
  );
}
