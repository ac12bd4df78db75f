// On an incident: the windows muting it now ("in maintenance window X until T"), or, for a responder, the
// button that snoozes its alert group for an hour.
import type { MaintenanceWindow } from "@/lib/maintenance/schemas";
import { UtcTime } from "../ui/utc-time";
import { MaintenanceActionButton } from "./maintenance-action-button";

export function IncidentMaintenanceNote({
  incidentRef,
  windows,
  canSnooze,
  canEnd,
}: {
  incidentRef: string;
  windows: MaintenanceWindow[];
  /** A responder, on an incident that came from alerts (a declared one has no group to snooze). */
  canSnooze: boolean;
  canEnd: boolean;
}) {
  if (windows.length === 0)
    return canSnooze ? (
      <MaintenanceActionButton
        path={`/api/v1/incidents/${incidentRef}/snooze`}
        body={{ duration: "1h" }}
        label="Snooze alert group 1 h"
        confirm="Hold this alert group's paging and automatic remediation for an hour? If it is still unresolved then, paging starts."
      />
    ) : null;
  return (
    <ul
      data-testid="maintenance-note"
      className="space-y-1 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      {windows.map((w) => (
        <li key={w.id} className="flex flex-wrap items-center gap-2">
          <span>
            Paging held: {w.kind === "snooze" ? "alert group snoozed" : <>in maintenance window “{w.name}”</>} until{" "}
            <UtcTime iso={w.ends_at} /> ({w.reason})
          </span>
          {canEnd && (
            <MaintenanceActionButton
              path={`/api/v1/maintenance-windows/${w.id}/end`}
              label={w.kind === "snooze" ? "End snooze" : "End window"}
            />
          )}
        </li>
      ))}
    </ul>
  );
}
