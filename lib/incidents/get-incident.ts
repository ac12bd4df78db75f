import { asc, desc, eq, sql } from "drizzle-orm";
import { incidents, timelineEvents } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { notFound } from "../errors";
import { parseInput } from "../input";
import { toTimelineEventDto } from "./incident-dto";
import { readIncidentAnswers, selectIncidentAnswers } from "./incident-answer";
import { byRef } from "./incident-store";
import { IncidentRefInput, ListTimelineInput, type Incident, type TimelineEvent } from "./schemas";

export async function getIncident({ ctx, input }: VerbArgs<{ ref: string }>): Promise<Incident> {
  authorize(ctx.actor, "incident.read");
  const { ref } = parseInput(IncidentRefInput, input);
  const [incident] = await readIncidentAnswers(ctx.db, sql`${selectIncidentAnswers} where ${byRef(ref)}`);
  if (!incident) throw notFound(`Incident ${ref}`);
  return incident;
}

export async function listTimelineEvents({
  ctx,
  input,
}: VerbArgs<{ ref: string; order?: "asc" | "desc"; limit?: number | string }>): Promise<TimelineEvent[]> {
  authorize(ctx.actor, "incident.read");
  const { ref, order, limit } = parseInput(ListTimelineInput, input);
  const [incident] = await ctx.db.select({ id: incidents.id }).from(incidents).where(byRef(ref));
  if (!incident) throw notFound(`Incident ${ref}`);
  const direction = order === "asc" ? asc : desc;
  const rows = await ctx.db
    .select()
    .from(timelineEvents)
    .where(eq(timelineEvents.incidentId, incident.id))
    .orderBy(direction(timelineEvents.at), direction(timelineEvents.id))
    .limit(limit);
  return rows.map(toTimelineEventDto);
}
