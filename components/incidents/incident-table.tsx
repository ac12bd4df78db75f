import Link from "next/link";
import type { Incident } from "@/lib/incidents/schemas";
import { RelativeTime } from "../ui/relative-time";
import { AcknowledgeButton } from "./acknowledge-button";
import { SeverityBadge } from "../ui/severity-badge";
import { StatusBadge } from "../ui/status-badge";

interface IncidentTableProps {
  incidents: Incident[];
  now: Date;
  emptyMessage: string;
  /** Show the acknowledge action (the caller checked the viewer's role). */
  canAcknowledge: boolean;
}

export function IncidentTable({ incidents, now, emptyMessage, canAcknowledge }: IncidentTableProps) {
  if (incidents.length === 0) {
    return <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-zinc-500 dark:text-zinc-400 dark:border-zinc-700">{emptyMessage}</p>;
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400 dark:border-zinc-800">
          <tr>
            <th scope="col" className="px-3 py-2">Sev</th>
            <th scope="col" className="px-3 py-2">Incident</th>
            <th scope="col" className="px-3 py-2">Status</th>
            <th scope="col" className="px-3 py-2">Service</th>
            <th scope="col" className="px-3 py-2">Owner</th>
            <th scope="col" className="px-3 py-2">Age</th>
            {canAcknowledge && (
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {incidents.map((incident) => (
            <tr key={incident.id} data-testid="incident-row">
              <td className="px-3 py-2">
                <SeverityBadge severity={incident.severity} />
              </td>
              <td className="px-3 py-2">
                <span className="mr-2 font-mono text-xs text-zinc-500 dark:text-zinc-400">{incident.ref}</span>
                <Link href={`/incidents/${incident.ref}`} className="font-medium hover:underline">
                  {incident.title}
                </Link>
              </td>
              <td className="px-3 py-2">
                <StatusBadge status={incident.status} />
              </td>
              <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{incident.service ?? "—"}</td>
              <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{incident.owner?.name ?? "unassigned"}</td>
              <td className="px-3 py-2 text-zinc-600 tabular-nums dark:text-zinc-400">
                <RelativeTime iso={incident.created_at} now={now} />
              </td>
              {canAcknowledge && <td className="px-3 py-2 text-right">{incident.status === "open" && <AcknowledgeButton incidentRef={incident.ref} />}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
