// Reads and writes the incident verbs share: find by reference (optionally locked), resolve an owner,
// append a timeline event, and load the incident as the API shows it.
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { incidents, timelineEvents, users, type IncidentRow, type TimelineEventRow } from "@/db/schema";
import { describeActor, type Ctx } from "../context";
import { enqueueJob } from "../jobs/enqueue";
import { announceIncidentEvent } from "../live/incident-events";
import { outboundEventKinds, PLAN_JOB } from "../notifications/outbound-events";
import { TRIGGER_JOB, triggerEventKinds } from "../remediation/job-names";
import { invalid, notFound } from "../errors";
import { toIncidentDto } from "./incident-dto";
import { parseIncidentRef } from "./ref";
import type { Incident } from "./schemas";

export type NewIncident = Pick<typeof incidents.$inferInsert, "title" | "severity" | "detectedAt"> &
  Partial<Pick<typeof incidents.$inferInsert, "description" | "service" | "team" | "ownerId" | "groupKey" | "labels" | "runbookUrl">>;

/** Inserts an incident stamped with the context's time; callers add the timeline event and audit row. */
export async function insertIncident(tx: DbOrTx, ctx: Ctx, fields: NewIncident): Promise<IncidentRow> {
  const [row] = await tx
    .insert(incidents)
    .values({ ...fields, createdAt: ctx.now, updatedAt: ctx.now })
    .returning();
  if (!row) throw new Error("insert returned no incident");
  return row;
}

export async function findIncident(db: DbOrTx, ref: string, options: { lock?: boolean } = {}): Promise<IncidentRow> {
  const parsed = parseIncidentRef(ref);
  if (!parsed) throw notFound(`Incident ${ref}`);
  const where = "id" in parsed ? eq(incidents.id, parsed.id) : eq(incidents.number, parsed.number);
  const query = db.select().from(incidents).where(where);
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw notFound(`Incident ${ref}`);
  return row;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user named by id or email, or an `invalid` error on `field`. */
export async function resolveUserReference(db: DbOrTx, reference: string, field = "owner") {
  const where = uuidPattern.test(reference) ? eq(users.id, reference) : sql`lower(${users.email}) = lower(${reference})`;
  const [user] = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(where);
  if (!user) throw invalid(`No user with id or email "${reference}"`, [{ path: field, message: "no such user" }]);
  return user;
}

export async function toIncident(db: DbOrTx, row: IncidentRow): Promise<Incident> {
  if (!row.ownerId) return toIncidentDto(row, null);
  const [owner] = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, row.ownerId));
  return toIncidentDto(row, owner ?? null);
}

export interface TimelineEntry {
  kind: string;
  text: string;
  data?: Record<string, unknown>;
}

export async function appendTimelineEvent(tx: DbOrTx, ctx: Ctx, incidentId: string, entry: TimelineEntry): Promise<TimelineEventRow> {
  const who = describeActor(ctx.actor);
  const [row] = await tx
    .insert(timelineEvents)
    .values({
    incidentId,
    at: ctx.now,
    kind: entry.kind,
    actorType: who.type,
    actorId: who.id,
    actorName: who.name,
    text: entry.text,
    data: entry.data ?? {},
    })
    .returning();
  if (!row) throw new Error("insert returned no timeline event");
  // The timeline is the outbox: in this same transaction, tell the worker there is news to send.
  if (outboundEventKinds.has(row.kind)) await enqueueJob(tx, PLAN_JOB, { event_id: row.id });
  // …and the runbook trigger: an incident that opens (or gains alerts) may start automatic remediation.
  if (triggerEventKinds.has(row.kind)) await enqueueJob(tx, TRIGGER_JOB, { event_id: row.id });
  await announceIncidentEvent(tx, { incident_id: incidentId, event_id: row.id, kind: row.kind });
  return row;
}
