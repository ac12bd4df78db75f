// Which incidents a maintenance window or snooze covers, and whether it is in force: pure rules.
import type { MaintenanceWindowRow } from "@/db/schema";
import { matchesSelector } from "../notifications/route-incident";

export type WindowMatcher = Pick<MaintenanceWindowRow, "groupKey" | "service" | "team" | "labels">;
export type WindowTimes = Pick<MaintenanceWindowRow, "startsAt" | "endsAt" | "deletedAt">;

/** What a window is matched against: the incident's alert group, service, team and labels. */
export interface MutableIncident {
  groupKey: string | null;
  service: string | null;
  team: string | null;
  labels: Record<string, string>;
}

/**
 * A snooze covers its alert group; a window, incidents whose service, team and labels equal every value
 * it names (the routing rules' matcher, one value each). A declared incident (no alert group) is a
 * person's deliberate call and is never muted.
 */
export function windowMatches(window: WindowMatcher, incident: MutableIncident): boolean {
  if (incident.groupKey === null) return false;
  if (window.groupKey !== null) return window.groupKey === incident.groupKey;
  return matchesSelector(
    {
      service: window.service === null ? undefined : [window.service],
      team: window.team === null ? undefined : [window.team],
      labels: Object.fromEntries(Object.entries(window.labels).map(([name, value]) => [name, [value]])),
    },
    incident,
  );
}

export type WindowState = "upcoming" | "active" | "ended";

/** Active from its start (inclusive) to its end (exclusive); a deleted window is over. */
export function windowState(window: WindowTimes, now: Date): WindowState {
  if (window.deletedAt !== null || window.endsAt.getTime() <= now.getTime()) return "ended";
  return window.startsAt.getTime() > now.getTime() ? "upcoming" : "active";
}
