import type { Incident } from "@/lib/incidents/schemas";
import { RelativeTime } from "../ui/relative-time";
import { AcknowledgeButton } from "./acknowledge-button";
import { IncidentSummaryCells, IncidentSummaryHeaders } from "./incident-cells";

interface IncidentTableProps {
  incidents: Incident[];
  now: Date;
  emptyMessage: string;
  /** Show the acknowledge action (the caller checked the viewer's role). */
  canAcknowledge: boolean;
}

export function IncidentTable({ incidents, now, emptyMessage, canAcknowledge }: IncidentTableProps) {
  if (incidents.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-muted dark:border-zinc-700">
        {emptyMessage}
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-muted dark:border-zinc-800">
          <tr>
            <IncidentSummaryHeaders />
            <th scope="col" className="px-3 py-2">
              Age
            </th>
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
              <IncidentSummaryCells incident={incident} />
              <td className="px-3 py-2 text-zinc-600 tabular-nums dark:text-zinc-400">
                <RelativeTime iso={incident.created_at} now={now} />
              </td>
              {canAcknowledge && (
                <td className="px-3 py-2 text-right">
                  {incident.status === "open" && <AcknowledgeButton incidentRef={incident.ref} />}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
