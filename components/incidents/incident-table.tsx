import type { Incident } from "@/lib/incidents/schemas";
import { RelativeTime } from "../ui/relative-time";
import { AcknowledgeButton } from "./acknowledge-button";
import { ActionsHeader, IncidentRowsTable } from "./incident-cells";

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
    <IncidentRowsTable
      incidents={incidents}
      headers={
        <>
          <th scope="col" className="px-3 py-2">
            Age
          </th>
          {canAcknowledge && <ActionsHeader />}
        </>
      }
      cells={(incident) => (
        <>
          <td className="px-3 py-2 text-zinc-600 tabular-nums dark:text-zinc-400">
            <RelativeTime iso={incident.created_at} now={now} />
          </td>
          {canAcknowledge && (
            <td className="px-3 py-2 text-right">
              {incident.status === "open" && <AcknowledgeButton incidentRef={incident.ref} />}
            </td>
          )}
        </>
      )}
    />
  );
}
