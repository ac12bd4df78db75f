import { asc, desc, eq } from "drizzle-orm";
import { timelineEvents } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { toTimelineEventDto } from "./incident-dto";
import { findIncident, toIncident } from "./incident-store";
import { IncidentRefInput, ListTimelineInput, type Incident, type TimelineEvent } from "./schemas";

export async function getIncident({ ctx, input }: VerbArgs<{ ref: string }>): Promise<Incident> {
  authorize(ctx.actor, "incident.read");
  const { ref } = parseInput(IncidentRefInput, input);
  return toIncident(ctx.db, await findIncident(ctx.db, ref));
}

export async function listTimelineEvents({
  ctx,
  input,
}: VerbArgs<{ ref: string; order?: "asc" | "desc"; limit?: number | string }>): Promise<TimelineEvent[]> {
  authorize(ctx.actor, "incident.read");
  const { ref, order, limit } = parseInput(ListTimelineInput, input);
  const incident = await findIncident(ctx.db, ref);
  const direction = order === "asc" ? asc : desc;
  const rows = await ctx.db
    .select()
    .from(timelineEvents)
    .where(eq(timelineEvents.incidentId, incident.id))
    .orderBy(direction(timelineEvents.at), direction(timelineEvents.id))
    .limit(limit);
  return rows.map(toTimelineEventDto);
}
