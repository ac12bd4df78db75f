import { asc, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { incidents, timelineEvents } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { notFound } from "../errors";
import { parseInput } from "../input";
import { toTimelineEventDto } from "./incident-dto";
import { readIncidentAnswers, selectIncidentAnswers } from "./incident-answer";
import type { IncidentReadCache } from "./incident-read-cache";
import { byRef } from "./incident-store";
import { IncidentRefInput, ListTimelineInput, type Incident, type TimelineEvent } from "./schemas";

export async function getIncident({ ctx, input }: VerbArgs<{ ref: string }>): Promise<Incident> {
  authorize(ctx.actor, "incident.read");
  const { ref } = parseInput(IncidentRefInput, input);
  return readIncident(ctx.db, ref);
}

/** The incident as the API's JSON, through the process's recent answers when it has them (incident-read-cache.ts). */
export async function getIncidentJson({ ctx, input }: VerbArgs<{ ref: string }>, cache?: IncidentReadCache) {
  authorize(ctx.actor, "incident.read");
  const { ref } = parseInput(IncidentRefInput, input);
  const read = async () => JSON.stringify(await readIncident(ctx.db, ref));
  return cache ? cache.get(`incident ${ref}`, read) : read();
}

async function readIncident(db: DbOrTx, ref: string): Promise<Incident> {
  const [incident] = await readIncidentAnswers(db, sql`${selectIncidentAnswers} where ${byRef(ref)}`);
  if (!incident) throw notFound(`Incident ${ref}`);
  return incident;
}

export async function listTimelineEvents({ ctx, input }: VerbArgs<TimelineQuery>): Promise<TimelineEvent[]> {
  authorize(ctx.actor, "incident.read");
  return readTimeline(ctx.db, parseInput(ListTimelineInput, input));
}

/** The timeline as the API's JSON answer (`{"data": [...]}`), through the process's recent answers when it has them. */
export async function listTimelineEventsJson({ ctx, input }: VerbArgs<TimelineQuery>, cache?: IncidentReadCache) {
  authorize(ctx.actor, "incident.read");
  const query = parseInput(ListTimelineInput, input);
  const read = async () => JSON.stringify({ data: await readTimeline(ctx.db, query) });
  return cache ? cache.get(`timeline ${JSON.stringify(query)}`, read) : read();
}

type TimelineQuery = { ref: string; order?: "asc" | "desc"; limit?: number | string };

async function readTimeline(
  db: DbOrTx,
  { ref, order, limit }: { ref: string; order: "asc" | "desc"; limit: number },
): Promise<TimelineEvent[]> {
  const [incident] = await db.select({ id: incidents.id }).from(incidents).where(byRef(ref));
  if (!incident) throw notFound(`Incident ${ref}`);
  const direction = order === "asc" ? asc : desc;
  const rows = await db
    .select()
    .from(timelineEvents)
    .where(eq(timelineEvents.incidentId, incident.id))
    .orderBy(direction(timelineEvents.at), direction(timelineEvents.id))
    .limit(limit);
  return rows.map(toTimelineEventDto);
}
