// The one write path for an existing incident: its columns, its timeline event and its audit row, on the
// context's database (inside a verb, its transaction). Nothing else updates `incidents`: the lint rule
// `vigil/one-writer` (lint/rules/one-writer.mjs) refuses `update(incidents)` anywhere but here.
import { eq, type SQL } from "drizzle-orm";
import { incidents, type IncidentRow, type TimelineEventRow } from "@/db/schema";
import type { Ctx } from "../context";
import { appendTimelineEvents, type TimelineEntry } from "./incident-store";
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

export interface IncidentChangeOptions {
  /** Events that led to the change (an alert delivery's), written before its own in the same statement. */
  before?: readonly TimelineEntry[];
  /** More statements for that round trip (see AppendOptions.alongside). */
  alongside?: Record<string, SQL>;
}

/**
 * Applies `patch` to an incident the caller holds (locked, inside its transaction) and writes the event
 * and audit row of that change. Returns the row as it now is and the event.
 */
export async function recordIncidentChange(
  ctx: Ctx,
  incident: Pick<IncidentRow, "id" | "number">,
  change: IncidentChangeRecord,
  options: IncidentChangeOptions = {},
): Promise<{ row: IncidentRow; event: TimelineEventRow }> {
  const [row] = await ctx.db
    .update(incidents)
    .set({ ...change.patch, updatedAt: ctx.now })
    .where(eq(incidents.id, incident.id))
    .returning();
  if (!row) throw new Error(`incident ${incident.id} vanished while locked`);
  const entries = [...(options.before ?? []), change.event];
  const events = await appendTimelineEvents(
    ctx,
    entries.map((entry) => ({ incidentId: row.id, entry })),
    {
      alongside: options.alongside,
      audit: {
        action: change.audit.action,
        resourceType: "incident",
        resourceId: row.id,
        details: { ref: formatIncidentRef(row.number), ...change.audit.details },
      },
    },
  );
  return { row, event: events[events.length - 1]! };
}
