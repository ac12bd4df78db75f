// Reads and writes the incident verbs share: find by reference (optionally locked), resolve an owner,
// append a timeline event, and load the incident as the API shows it.
import { eq, sql, type SQL } from "drizzle-orm";
import { builtOnce } from "@/db/built-once";
import { rawJson, rawTimestamp, rowCountsOf, withStatements } from "@/db/statements-in-one-round-trip";
import type { DbOrTx } from "@/db/client";
import { incidents, timelineEvents, users, type IncidentRow, type TimelineEventRow } from "@/db/schema";
import { auditInsert, type AuditEntry } from "../audit/record-audit";
import { describeActor, type Ctx } from "../context";
import { announcement } from "../live/incident-events";
import { eventJobSpecsSql, jobsForEvent } from "../jobs/event-jobs";
import { addJobsSql } from "../jobs/job-specs";
import { invalid, notFound } from "../errors";
import { toIncidentDto } from "./incident-dto";
import { parseIncidentRef } from "./ref";
import type { Incident } from "./schemas";

export type NewIncident = Pick<typeof incidents.$inferInsert, "title" | "severity" | "detectedAt"> &
  Partial<
    Pick<
      typeof incidents.$inferInsert,
      "description" | "service" | "team" | "ownerId" | "groupKey" | "labels" | "runbookUrl"
    >
  >;

/** Inserts an incident stamped with the context's time; callers add the timeline event and audit row. */
export async function insertIncident(ctx: Ctx, fields: NewIncident): Promise<IncidentRow> {
  const [row] = await incidentInsert(ctx.db).execute({
    title: fields.title,
    severity: fields.severity,
    // As text: drizzle maps a timestamp placeholder's value with toISOString(), which a null has not.
    detectedAt: fields.detectedAt?.toISOString() ?? null,
    description: fields.description ?? null,
    service: fields.service ?? null,
    team: fields.team ?? null,
    ownerId: fields.ownerId ?? null,
    groupKey: fields.groupKey ?? null,
    labels: fields.labels ?? {},
    runbookUrl: fields.runbookUrl ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  } satisfies Record<keyof NewIncident | "createdAt" | "updatedAt", unknown>);
  if (!row) throw new Error("insert returned no incident");
  return row;
}

const incidentInsert = builtOnce((db) => {
  const value = (name: keyof NewIncident | "createdAt" | "updatedAt") => sql.placeholder(name);
  return db
    .insert(incidents)
    .values({
      title: value("title"),
      severity: value("severity"),
      detectedAt: sql`${value("detectedAt")}::timestamptz`,
      description: value("description"),
      service: value("service"),
      team: value("team"),
      ownerId: value("ownerId"),
      groupKey: value("groupKey"),
      labels: value("labels"),
      runbookUrl: value("runbookUrl"),
      createdAt: value("createdAt"),
      updatedAt: value("updatedAt"),
    })
    .returning()
    .prepare("incident_insert");
});

/** The condition that picks the incident a reference (INC-42, 42 or its id) names; `notFound` if none can. */
export function byRef(ref: string): SQL {
  const parsed = parseIncidentRef(ref);
  if (!parsed) throw notFound(`Incident ${ref}`);
  return "id" in parsed ? eq(incidents.id, parsed.id) : eq(incidents.number, parsed.number);
}

export async function findIncident(db: DbOrTx, ref: string, options: { lock?: boolean } = {}): Promise<IncidentRow> {
  const parsed = parseIncidentRef(ref);
  // By id without a lock, as every job an event starts asks: a query built once (db/built-once.ts).
  const byId = parsed && "id" in parsed && !options.lock ? parsed.id : null;
  const query = () => db.select().from(incidents).where(byRef(ref));
  const [row] = byId
    ? await incidentById(db).execute({ id: byId })
    : options.lock
      ? await query().for("update")
      : await query();
  if (!row) throw notFound(`Incident ${ref}`);
  return row;
}

const incidentById = builtOnce((db) =>
  db
    .select()
    .from(incidents)
    .where(eq(incidents.id, sql.placeholder("id")))
    .prepare("incident_by_id"),
);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user named by id or email, or an `invalid` error on `field`. */
export async function resolveUserReference(db: DbOrTx, reference: string, field = "owner") {
  const where = uuidPattern.test(reference)
    ? eq(users.id, reference)
    : sql`lower(${users.email}) = lower(${reference})`;
  const [user] = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(where);
  if (!user) throw invalid(`No user with id or email "${reference}"`, [{ path: field, message: "no such user" }]);
  return user;
}

export async function toIncident(db: DbOrTx, row: IncidentRow): Promise<Incident> {
  if (!row.ownerId) return toIncidentDto(row, null);
  const [owner] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(eq(users.id, row.ownerId));
  return toIncidentDto(row, owner ?? null);
}

/** The incident as the API shows it, by id, with its owner joined: one query (the worker's hot path). */
export async function loadIncident(db: DbOrTx, incidentId: string): Promise<Incident> {
  const [found] = await db
    .select({ row: incidents, owner: { id: users.id, name: users.name, email: users.email } })
    .from(incidents)
    .leftJoin(users, eq(users.id, incidents.ownerId))
    .where(eq(incidents.id, incidentId));
  if (!found) throw notFound(`Incident ${incidentId}`);
  return toIncidentDto(found.row, found.owner);
}

/**
 * Reads a timeline event and, in the same query, takes a transaction-scoped advisory lock on its incident
 * in `lockSpace` (one number per kind of work), so that work of that kind on one incident runs one at a
 * time. Events never change, so reading one before its lock is granted is safe.
 */
export async function readEventLockingIncident(
  tx: DbOrTx,
  eventId: number,
  lockSpace: number,
): Promise<TimelineEventRow | undefined> {
  const [found] = await eventLockingIncident(tx).execute({ eventId, lockSpace });
  return found?.event;
}

/** The event alone, without a lock (a job's look before it decides whether to take one): built once. */
export async function readEvent(db: DbOrTx, eventId: number): Promise<TimelineEventRow | undefined> {
  const [found] = await eventById(db).execute({ eventId });
  return found;
}

const eventById = builtOnce((db) =>
  db
    .select()
    .from(timelineEvents)
    .where(eq(timelineEvents.id, sql.placeholder("eventId")))
    .prepare("event_by_id"),
);

/** Every job an event starts reads it so: built once (db/built-once.ts). */
const eventLockingIncident = builtOnce((db) =>
  db
    .select({
      event: timelineEvents,
      locked: sql`pg_advisory_xact_lock(hashtextextended(${timelineEvents.incidentId}::text, ${sql.placeholder("lockSpace")}::bigint))`,
    })
    .from(timelineEvents)
    .where(eq(timelineEvents.id, sql.placeholder("eventId")))
    .prepare("event_locking_incident"),
);

export interface TimelineEntry {
  kind: string;
  text: string;
  data?: Record<string, unknown>;
}

export interface AppendOptions {
  /** The audit row of the same change, written by the same statement. */
  audit?: AuditEntry;
  /**
   * Jobs of this event (lib/jobs/event-jobs.ts) the caller has done itself, so they are not enqueued: the
   * notification plan when the event's messages are planned `alongside` (a new incident's first page).
   */
  handledJobs?: readonly string[];
  /** More statements for the same round trip, by CTE name: each may read `event` and must return rows. */
  alongside?: Record<string, SQL>;
  /**
   * More jobs, enqueued with the event's own in one call: selects of `spec` rows (lib/jobs/job-specs.ts)
   * that may read `event` and the `alongside` statements.
   */
  jobs?: readonly SQL[];
}

/**
 * Appends a timeline event (on `ctx.db`: inside a verb, its transaction) and, in the same statement, what
 * follows from it: the timeline is the outbox, so the event enqueues the jobs its kind calls for
 * (lib/jobs/event-jobs.ts: notify.plan, remediation.trigger, postmortem.draft; with the caller's, in one
 * graphile_worker.add_jobs call), and every event is announced to live browsers (NOTIFY, delivered on
 * commit). One round trip instead of four: every alert, ack and delivery passes here.
 */
export async function appendTimelineEvent(
  ctx: Ctx,
  incidentId: string,
  entry: TimelineEntry,
  options: AppendOptions = {},
): Promise<TimelineEventRow> {
  const [row] = await appendTimelineEvents(ctx, [{ incidentId, entry }], options);
  return row!;
}

/**
 * Several events in the one statement appendTimelineEvent writes, each with its jobs and announcement (a
 * bundled page names twenty incidents: one round trip, not twenty). Returned in the order given.
 */
export async function appendTimelineEvents(
  ctx: Ctx,
  events: readonly { incidentId: string; entry: TimelineEntry }[],
  options: AppendOptions = {},
): Promise<TimelineEventRow[]> {
  if (events.length === 0) return [];
  const who = describeActor(ctx.actor);
  // As SQL rather than drizzle's insert builder, which took several times the CPU to build: every alert
  // delivery that changes an incident, and every page sent, writes events (bench/README.md).
  const at = ctx.now.toISOString();
  const values = events.map(({ incidentId, entry }) => {
    const data = ctx.actor.via ? { ...entry.data, via: ctx.actor.via } : (entry.data ?? {});
    return sql`(${incidentId}::uuid, ${at}::timestamptz, ${entry.kind}::text, ${who.type}::text, ${who.id}::text,
                ${who.name}::text, ${entry.text}::text, ${JSON.stringify(data)}::jsonb)`;
  });
  const insert = sql`insert into ${timelineEvents} (incident_id, at, kind, actor_type, actor_id, actor_name, text, data)
                     values ${sql.join(values, sql`, `)}
                     returning id, incident_id, at, kind, actor_type, actor_id, actor_name, text, data`;
  // Read by the select below (each must return rows): those that modify nothing would not run otherwise.
  const counted: [string, SQL][] = [];
  const ofKind: [string, SQL][] = [];
  const jobSpecs: SQL[] = [...(options.jobs ?? [])];
  const kinds = [...new Set(events.map((e) => e.entry.kind))];
  kinds.forEach((kind, i) => {
    const jobs = jobsForEvent(kind, options.handledJobs);
    if (jobs.length === 0) return;
    // Each event's own jobs: with one kind (the usual case) every inserted event has them.
    if (kinds.length > 1) ofKind.push([`event_${i}`, sql`select * from event where kind = ${kind}`]);
    jobSpecs.push(...eventJobSpecsSql(jobs, kinds.length > 1 ? sql`${sql.identifier(`event_${i}`)}` : sql`event`));
  });
  counted.push(
    ["announced", sql`select ${announcement(sql`event`)} from event`],
    ...Object.entries(options.alongside ?? {}),
  );
  // Last: the jobs may read what the statements before wrote (a new incident's messages).
  if (jobSpecs.length > 0) counted.push(["jobs", addJobsSql(jobSpecs)]);
  const statements: [string, SQL][] = [
    ["event", insert],
    ...(options.audit ? [["audited", auditInsert(ctx, options.audit)] as [string, SQL]] : []),
    ...ofKind,
    ...counted,
  ];
  const rows = await ctx.db.execute<RawTimelineEvent>(
    withStatements(
      statements,
      sql`select event.id, event.incident_id, event.at, event.kind, event.actor_type, event.actor_id, event.actor_name,
                 event.text, event.data${rowCountsOf(counted.map(([name]) => name))}
            from event order by event.id`,
    ),
  );
  if (rows.length !== events.length) throw new Error("insert returned fewer timeline events than given");
  return rows.map((row) => ({
    id: Number(row.id),
    incidentId: row.incident_id,
    at: rawTimestamp(row.at),
    kind: row.kind,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorName: row.actor_name,
    text: row.text,
    data: rawJson(row.data),
  }));
}

interface RawTimelineEvent extends Record<string, unknown> {
  id: string | number;
  incident_id: string;
  at: Date | string;
  kind: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  text: string;
  data: Record<string, unknown> | string;
}
