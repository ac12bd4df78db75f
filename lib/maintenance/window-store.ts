// Reads and writes the maintenance verbs share: the wire shape, a window found (and locked) by id, and
// the end job scheduled at a window's end.
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { maintenanceWindows, type MaintenanceWindowRow } from "@/db/schema";
import { notFound } from "../errors";
import { enqueueJob } from "../jobs/enqueue";
import { windowState } from "./window-matcher";
import type { MaintenanceWindow } from "./schemas";

export const WINDOW_END_JOB = "maintenance.window_end";

export function toMaintenanceWindowDto(row: MaintenanceWindowRow, now: Date): MaintenanceWindow {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    reason: row.reason,
    matcher: { service: row.service, team: row.team, labels: row.labels, group_key: row.groupKey },
    incident_id: row.incidentId,
    starts_at: row.startsAt.toISOString(),
    ends_at: row.endsAt.toISOString(),
    state: windowState(row, now),
    created_at: row.createdAt.toISOString(),
    created_by: row.createdByName,
    ended_early_at: row.endedEarlyAt?.toISOString() ?? null,
    ended_early_by: row.endedEarlyBy,
  };
}

/** A window that has not been deleted, locked for the caller's transaction. */
export async function findWindowForUpdate(tx: DbOrTx, id: string): Promise<MaintenanceWindowRow> {
  const [row] = await tx.select().from(maintenanceWindows).where(eq(maintenanceWindows.id, id)).for("update");
  if (!row || row.deletedAt) throw notFound(`Maintenance window ${id}`);
  return row;
}

/**
 * The job that pages what the window held back, at its end: one per window (its key), so ending a window
 * early moves the same job to now instead of adding another.
 */
export const scheduleWindowEnd = (tx: DbOrTx, window: Pick<MaintenanceWindowRow, "id" | "endsAt">) =>
  enqueueJob(
    tx,
    WINDOW_END_JOB,
    { window_id: window.id },
    { jobKey: `maintenance-window-end:${window.id}`, runAt: window.endsAt },
  );
