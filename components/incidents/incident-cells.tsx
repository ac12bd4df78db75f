// The columns every incident table starts with (board and history): severity, ref and title, status,
// service, owner. Each table adds its own columns after them. On a phone, service and owner give way, so
// that what matters at 3 a.m. (severity, title, status, Acknowledge) fits without scrolling sideways.
import Link from "next/link";
import type { ReactNode } from "react";
import type { Incident } from "@/lib/incidents/schemas";
import { SeverityBadge } from "../ui/severity-badge";
import { StatusBadge } from "../ui/status-badge";

/** Cells shown from tablet width up. */
export const wide = "hidden md:table-cell";
/** Cells shown from a small tablet up: on a phone the status sits under the title. */
export const notOnPhone = "hidden sm:table-cell";

export function IncidentSummaryHeaders() {
  return (
    <>
      <th scope="col" className="px-3 py-2">
        Sev
      </th>
      <th scope="col" className="px-3 py-2">
        Incident
      </th>
      <th scope="col" className={`px-3 py-2 ${notOnPhone}`}>
        Status
      </th>
      <th scope="col" className={`px-3 py-2 ${wide}`}>
        Service
      </th>
      <th scope="col" className={`px-3 py-2 ${wide}`}>
        Owner
      </th>
    </>
  );
}

export function IncidentSummaryCells({
  incident,
}: {
  incident: Pick<Incident, "ref" | "title" | "severity" | "status" | "service" | "owner">;
}) {
  return (
    <>
      <td className="px-3 py-2">
        <SeverityBadge severity={incident.severity} />
      </td>
      <td className="px-3 py-2">
        <span className="mr-2 font-mono text-xs text-muted">{incident.ref}</span>
        <Link href={`/incidents/${incident.ref}`} className="font-medium hover:underline">
          {incident.title}
        </Link>
        <span className="mt-1 block sm:hidden">
          <StatusBadge status={incident.status} />
        </span>
      </td>
      <td className={`px-3 py-2 ${notOnPhone}`}>
        <StatusBadge status={incident.status} />
      </td>
      <td className={`px-3 py-2 text-zinc-600 dark:text-zinc-400 ${wide}`}>{incident.service ?? "—"}</td>
      <td className={`px-3 py-2 text-zinc-600 dark:text-zinc-400 ${wide}`}>{incident.owner?.name ?? "unassigned"}</td>
    </>
  );
}

/** The table both incident tables are: the summary columns, then the table's own headers and cells. */
export function IncidentRowsTable({
  incidents,
  headers,
  cells,
}: {
  incidents: Incident[];
  headers: ReactNode;
  cells: (incident: Incident) => ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-muted dark:border-zinc-800">
          <tr>
            <IncidentSummaryHeaders />
            {headers}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {incidents.map((incident) => (
            <tr key={incident.id} data-testid="incident-row">
              <IncidentSummaryCells incident={incident} />
              {cells(incident)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The header over a row's action buttons: no visible text, a name for screen readers. */
export function ActionsHeader() {
  return (
    <th scope="col" className="px-3 py-2">
      <span className="sr-only">Actions</span>
    </th>
  );
}
