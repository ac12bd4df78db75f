// "Is this incident muted now?" — the one answer the notification planner, automatic remediation and
// (when it exists) the escalation engine consult, and the record of whom each window held back.
import { and, gt, isNull, lte, sql } from "drizzle-orm";
import { builtOnce } from "@/db/built-once";
import type { DbOrTx } from "@/db/client";
import { maintenanceWindows, mutedIncidents, type MaintenanceWindowRow } from "@/db/schema";
import { systemActor, type Ctx } from "../context";
import { appendTimelineEvent } from "../incidents/incident-store";
import { windowMatches, type MutableIncident } from "./window-matcher";

export const MAINTENANCE_ACTOR_NAME = "Vigil maintenance";

/**
 * The maintenance windows and snoozes muting this incident at `now`; empty means page as usual.
 * Every path that would page someone or act on its own asks this first: the notification planner
 * (lib/notifications/plan-notifications.ts), automatic remediation (lib/remediation/trigger-automatic-runs.ts),
 * and the escalation engine must too, before each step pages its targets — that is how a window mutes
 * escalation. Record what it held back with `recordMuted`, so the window's end pages them then.
 */
export async function mutingWindows(db: DbOrTx, incident: MutableIncident, now: Date): Promise<MaintenanceWindowRow[]> {
  if (incident.groupKey === null) return [];
  const active = await activeWindows(db).execute({ now: now.toISOString() });
  return active.filter((window) => windowMatches(window, incident));
}

/** Asked for every new incident: built once (db/built-once.ts). */
const activeWindows = builtOnce((db) => {
  const now = sql`${sql.placeholder("now")}::timestamptz`;
  return db
    .select()
    .from(maintenanceWindows)
    .where(
      and(
        isNull(maintenanceWindows.deletedAt),
        lte(maintenanceWindows.startsAt, now),
        gt(maintenanceWindows.endsAt, now),
      ),
    )
    .prepare("active_maintenance_windows");
});

/** The incident as a window sees it, from the API's shape (snake_case group key). */
export const mutableIncident = (incident: Omit<MutableIncident, "groupKey"> & { group_key: string | null }) => ({
  groupKey: incident.group_key,
  service: incident.service,
  team: incident.team,
  labels: incident.labels,
});

/** Notes that these windows hold the incident back (once per window); true when any of them is new. */
export async function holdIncident(
  tx: DbOrTx,
  incidentId: string,
  windows: Pick<MaintenanceWindowRow, "id">[],
  now: Date,
): Promise<boolean> {
  if (windows.length === 0) return false;
  const added = await tx
    .insert(mutedIncidents)
    .values(windows.map((w) => ({ windowId: w.id, incidentId, mutedAt: now })))
    .onConflictDoNothing()
    .returning({ windowId: mutedIncidents.windowId });
  return added.length > 0;
}

/**
 * After paging was held back for these windows: the incident joins each window's list (its end job pages
 * it then), and the first time a window holds it, the timeline says which and until when.
 */
export async function recordMuted(
  tx: DbOrTx,
  incidentId: string,
  windows: MaintenanceWindowRow[],
  now: Date,
): Promise<void> {
  if (!(await holdIncident(tx, incidentId, windows, now))) return;
  const last = windows.reduce((a, b) => (b.endsAt > a.endsAt ? b : a));
  const ctx: Ctx = { db: tx, actor: systemActor(MAINTENANCE_ACTOR_NAME), now };
  await appendTimelineEvent(ctx, incidentId, {
    kind: "muted",
    text: `Paging and automatic remediation held: ${describeHold(last)}`,
    data: { windows: windows.map((w) => w.id), until: last.endsAt.toISOString() },
  });
}

/** "in maintenance window “DB upgrade” until 2026-12-07 14:00 UTC" — for the timeline and Slack. */
export function describeHold(window: Pick<MaintenanceWindowRow, "kind" | "name" | "endsAt">): string {
  const until = `${window.endsAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return window.kind === "snooze"
    ? `alert group snoozed until ${until}`
    : `in maintenance window “${window.name}” until ${until}`;
}
