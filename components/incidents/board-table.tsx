"use client";

// The board's table: the summary columns, each incident's age and last change (to the minute, kept
// current), and Acknowledge for those who may.
import { useEffect, useState } from "react";
import type { Incident } from "@/lib/incidents/schemas";
import { Button } from "../ui/button";
import { formatAge } from "../ui/relative-time";
import { ActionsHeader, IncidentRowsTable, notOnPhone, wide } from "./incident-cells";

const AGE_REFRESH_MS = 30_000;

export interface BoardTableProps {
  incidents: Incident[];
  /** Absent for a viewer: no Acknowledge column. */
  onAcknowledge?: (incident: Incident) => void;
  /** The incident whose acknowledgement is on its way, its button disabled meanwhile. */
  acknowledging?: string;
}

export function BoardTable({ incidents, onAcknowledge, acknowledging }: BoardTableProps) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), AGE_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const ageCell = "px-3 py-2 tabular-nums text-zinc-600 dark:text-zinc-400";

  return (
    <IncidentRowsTable
      incidents={incidents}
      headers={
        <>
          <th scope="col" className={`px-3 py-2 ${notOnPhone}`}>
            Age
          </th>
          <th scope="col" className={`px-3 py-2 ${wide}`}>
            Last change
          </th>
          {onAcknowledge && <ActionsHeader />}
        </>
      }
      cells={(incident) => (
        <>
          <td className={`${ageCell} ${notOnPhone}`} title={incident.created_at}>
            {formatAge(now - Date.parse(incident.created_at))}
          </td>
          <td className={`${ageCell} ${wide}`} title={incident.updated_at}>
            {formatAge(now - Date.parse(incident.updated_at))}
          </td>
          {onAcknowledge && (
            <td className="px-3 py-2 text-right">
              {incident.status === "open" && (
                <Button size="sm" onClick={() => onAcknowledge(incident)} disabled={acknowledging === incident.id}>
                  Acknowledge
                </Button>
              )}
            </td>
          )}
        </>
      )}
    />
  );
}
