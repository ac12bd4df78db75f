// The one write path for an existing incident: its columns, its timeline event and its audit row, on the
// context's database (inside a verb, its transaction). Nothing else updates `incidents`: the lint rule
// `vigil/one-writer` (lint/rules/one-writer.mjs) refuses `update(incidents)` anywhere but here.
import { eq } from "drizzle-orm";
import { incidents, type IncidentRow, type TimelineEventRow } from "@/db/schema";
import type { Ctx } from "../context";
import { appendTimelineEvent, type TimelineEntry } from "./incident-store";
import { formatIncidentRef } from "./ref";

/** The columns a change may set; `updatedAt` is stamped with `ctx.now`. */
export type IncidentPatch = Partial<Omit<IncidentRow, "id" | "number" | "createdAt" | "updatedAt">>;

export interface IncidentChangeRecord {
  patch: IncidentPatch;
  /** What the timeline shows; its kind decides the jobs it enqueues (lib/jobs/event-jobs.ts). */
  event: TimelineEntry;
  /** The audit row; its resource is the incident, and its details always carry the incident's ref. */
  audit: { action: string; details?: Record<string, unknown> };
}

/**
 * Applies `patch` to an incident the caller holds (locked, inside its transaction) and writes the event
 * and audit row of that change. Returns the row as it now is and the event.
 */
export async function recordIncidentChange(
  ctx: Ctx,
  incident: Pick<IncidentRow, "id" | "number">,
  change: IncidentChangeRecord,
): Promise<{ row: IncidentRow; event: TimelineEventRow }> {
  const [row] = await ctx.db
    .update(incidents)
    .set({ ...change.patch, updatedAt: ctx.now })
    .where(eq(incidents.id, incident.id))
    .returning();
  if (!row) throw new Error(`incident ${incident.id} vanished while locked`);
  const event = await appendTimelineEvent(ctx, row.id, change.event, {
    audit: {
      action: change.audit.action,
      resourceType: "incident",
      resourceId: row.id,
      details: { ref: formatIncidentRef(row.number), ...change.audit.details },
    },
  });
  return { row, event };
}
