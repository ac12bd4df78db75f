// Schedules as data: a zone, layers (anchor, handoff interval, participants, restrictions) and overrides.
// Each write is one transaction with its audit row and returns the lint warnings of the result; reads
// hand the stored rows to the pure on-call function (on-call-at.ts), the only thing that decides who is on call.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { rawJson, rawTimestamp } from "@/db/statements-in-one-round-trip";
import {
  contactMethods,
  scheduleLayers,
  scheduleOverrides,
  schedules,
  users,
  type ScheduleLayerRow,
  type ScheduleOverrideRow,
  type ScheduleRow,
} from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { inTransaction, type Ctx, type VerbArgs } from "../context";
import { AppError, conflict, notFound, type FieldError } from "../errors";
import { parseInput } from "../input";
import { TimeZoneName } from "./contact-methods";
import { lintSchedule, type LintWarning } from "./lint";
import { finalSegments, intervalUnits, type Schedule } from "./on-call-at";
import { actorUserId } from "./people";
import { parseLocalDateTime } from "./zoned-time";

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day, HH:MM");

export const RestrictionFields = z.strictObject({
  days: z
    .array(z.number().int().min(0).max(6))
    .min(1)
    .max(7)
    .describe("Weekdays the window starts on: 0 = Monday … 6 = Sunday"),
  start: Clock,
  end: Clock.describe("At or before start: the window runs past midnight into the next day"),
});

export const LayerFields = z.strictObject({
  name: z.string().trim().min(1).max(100),
  anchor: z
    .string()
    .refine((v) => parseLocalDateTime(v) !== null, "a local date-time in the schedule's zone, like 2026-03-02T09:00")
    .describe("When participant 0's first shift starts, on the schedule's wall clock"),
  interval_unit: z.enum(intervalUnits),
  interval_count: z.number().int().min(1).max(1000),
  participants: z.array(z.uuid()).max(100).default([]).describe("User ids in rotation order"),
  restrictions: z.array(RestrictionFields).max(50).default([]),
});
export type LayerFields = z.output<typeof LayerFields>;

export const ScheduleFields = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).default(""),
  team: z.string().trim().min(1).max(100).nullable().default(null),
  time_zone: TimeZoneName,
  layers: z.array(LayerFields).max(20).default([]).describe("Bottom to top: a later layer wins where it has someone"),
});

export const UpdateScheduleBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().max(2000).optional(),
    team: z.string().trim().min(1).max(100).nullable().optional(),
    time_zone: TimeZoneName.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "give a field to change" });

export const OverrideFields = z
  .strictObject({
    kind: z.enum(["replace", "add"]).default("replace"),
    user_id: z.uuid().describe("Who goes on call"),
    replaces_user_id: z.uuid().nullable().default(null).describe("replace: whom; null replaces whoever is on call"),
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
  })
  .refine((v) => new Date(v.end) > new Date(v.start), { message: "end must be after start", path: ["end"] })
  .refine((v) => v.kind === "replace" || v.replaces_user_id === null, {
    message: "an added person replaces nobody",
    path: ["replaces_user_id"],
  });

const Segment = z.object({ start: z.string(), end: z.string(), user_ids: z.array(z.string()) });

export const ScheduleLayerDto = z.object({
  id: z.uuid(),
  name: z.string(),
  anchor: z.string(),
  interval_unit: z.enum(intervalUnits),
  interval_count: z.number().int(),
  participants: z.array(z.uuid()),
  restrictions: z.array(RestrictionFields),
});
export const ScheduleOverrideDto = z.object({
  id: z.uuid(),
  kind: z.enum(["replace", "add"]),
  user_id: z.uuid(),
  replaces_user_id: z.uuid().nullable(),
  start: z.string(),
  end: z.string(),
});
export const LintWarningDto = z.object({ code: z.string(), message: z.string(), path: z.string().optional() });
export const ScheduleDto = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  team: z.string().nullable(),
  time_zone: z.string(),
  layers: z.array(ScheduleLayerDto),
  overrides: z.array(ScheduleOverrideDto).describe("Overrides not yet over, in the order they apply"),
  final: z.array(Segment).describe("The final schedule for the next two weeks; empty user_ids is a gap"),
  warnings: z.array(LintWarningDto),
});
export type ScheduleDto = z.infer<typeof ScheduleDto>;

/**
 * The pure model of stored schedules (all when `ids` is null), with the overrides ending after `from`.
 * One query, a row per schedule with its layers and overrides as JSON: every escalation step and on-call
 * answer passes here, and a row per layer and override cost several times the CPU. "Who is on call" reads
 * it through the process's copy (schedule-cache.ts), which keeps it to the asked 60 days.
 */
export async function loadScheduleModels(
  db: DbOrTx,
  ids: string[] | null,
  from: Date,
): Promise<{ row: ScheduleRow; layers: ScheduleLayerRow[]; overrides: ScheduleOverrideRow[]; model: Schedule }[]> {
  // Plain SQL with aliases: drizzle leaves a column unqualified inside a select field, which a correlated
  // subquery would then read as its own table's column.
  const found = await db.execute<ScheduleJsonRow>(sql`
    select s.id, s.name, s.description, s.team, s.time_zone, s.created_at, s.updated_at,
      coalesce((select json_agg(json_build_object(
          'id', l.id, 'scheduleId', l.schedule_id, 'position', l.position, 'name', l.name, 'anchor', l.anchor,
          'intervalUnit', l.interval_unit, 'intervalCount', l.interval_count, 'participants', l.participants,
          'restrictions', l.restrictions, 'createdAt', l.created_at) order by l.position)
        from schedule_layers l where l.schedule_id = s.id), '[]') as layers,
      coalesce((select json_agg(json_build_object(
          'id', o.id, 'seq', o.seq, 'scheduleId', o.schedule_id, 'kind', o.kind, 'userId', o.user_id,
          'replacesUserId', o.replaces_user_id, 'startsAt', o.starts_at, 'endsAt', o.ends_at,
          'createdById', o.created_by_id, 'createdAt', o.created_at) order by o.seq)
        from schedule_overrides o
        where o.schedule_id = s.id and o.ends_at > ${from.toISOString()}::timestamptz), '[]') as overrides
      from schedules s
     ${ids ? sql`where s.id = any(${`{${ids.join(",")}}`}::uuid[])` : sql``}
     order by s.name`);
  return found.map((found) => {
    const row: ScheduleRow = {
      id: found.id,
      name: found.name,
      description: found.description,
      team: found.team,
      timeZone: found.time_zone,
      createdAt: rawTimestamp(found.created_at),
      updatedAt: rawTimestamp(found.updated_at),
    };
    const { layers: layerJson, overrides: overrideJson } = found;
    const layers = rawJson(layerJson).map((layer) => ({ ...layer, createdAt: new Date(layer.createdAt) }));
    const overrides = rawJson(overrideJson).map((override) => ({
      ...override,
      startsAt: new Date(override.startsAt),
      endsAt: new Date(override.endsAt),
      createdAt: new Date(override.createdAt),
    }));
    return { row, layers, overrides, model: toModel(row, layers, overrides) };
  });
}

interface ScheduleJsonRow extends Record<string, unknown> {
  id: string;
  name: string;
  description: string;
  team: string | null;
  time_zone: string;
  created_at: string | Date;
  updated_at: string | Date;
  layers: string | StoredLayer[];
  overrides: string | StoredOverride[];
}

/** A layer or override row as json_build_object writes it: timestamps as text. */
type StoredLayer = Omit<ScheduleLayerRow, "createdAt"> & { createdAt: string };
type StoredOverride = Omit<ScheduleOverrideRow, "startsAt" | "endsAt" | "createdAt"> & {
  startsAt: string;
  endsAt: string;
  createdAt: string;
};

/** A loaded schedule as the pure on-call function takes it. */
export type LoadedSchedule = Awaited<ReturnType<typeof loadScheduleModels>>[number];

export function toModel(row: ScheduleRow, layers: ScheduleLayerRow[], overrides: ScheduleOverrideRow[]): Schedule {
  return {
    timeZone: row.timeZone,
    layers: layers.map((l) => ({
      id: l.id,
      name: l.name,
      anchor: l.anchor,
      interval: { unit: l.intervalUnit, count: l.intervalCount },
      participants: l.participants,
      restrictions: l.restrictions,
    })),
    overrides: overrides.map((o) => ({
      id: o.id,
      start: o.startsAt,
      end: o.endsAt,
      userId: o.userId,
      kind: o.kind,
      replaces: o.replacesUserId,
    })),
  };
}

/** What lint needs to know about people: their names and whether a page can reach them. */
export async function peopleFacts(db: DbOrTx, userIds: string[]) {
  const ids = [...new Set(userIds)];
  const rows = ids.length
    ? await db
        .select({
          id: users.id,
          name: users.name,
          methods: sql<number>`(select count(*)::int from ${contactMethods} where ${contactMethods.userId} = ${users.id})`,
        })
        .from(users)
        .where(inArray(users.id, ids))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    known: (id: string) => byId.has(id),
    name: (id: string) => byId.get(id)?.name ?? id,
    hasContactMethods: (id: string) => (byId.get(id)?.methods ?? 0) > 0,
  };
}

const PREVIEW_DAYS = 14;

async function scheduleDto(db: DbOrTx, id: string, now: Date): Promise<ScheduleDto> {
  const [loaded] = await loadScheduleModels(db, [id], now);
  if (!loaded) throw notFound(`Schedule ${id}`);
  const { row, layers, overrides, model } = loaded;
  const everyone = [
    ...layers.flatMap((l) => l.participants),
    ...overrides.flatMap((o) => [o.userId, ...(o.replacesUserId ? [o.replacesUserId] : [])]),
  ];
  const warnings: LintWarning[] = lintSchedule(model, now, await peopleFacts(db, everyone));
  const until = new Date(now.getTime() + PREVIEW_DAYS * 86_400_000);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    team: row.team,
    time_zone: row.timeZone,
    layers: layers.map((l) => ({
      id: l.id,
      name: l.name,
      anchor: l.anchor,
      interval_unit: l.intervalUnit,
      interval_count: l.intervalCount,
      participants: l.participants,
      restrictions: l.restrictions,
    })),
    overrides: overrides.map((o) => ({
      id: o.id,
      kind: o.kind,
      user_id: o.userId,
      replaces_user_id: o.replacesUserId,
      start: o.startsAt.toISOString(),
      end: o.endsAt.toISOString(),
    })),
    final: finalSegments(model, now, until).map((s) => ({
      start: s.start.toISOString(),
      end: s.end.toISOString(),
      user_ids: s.userIds,
    })),
    warnings,
  };
}

export async function listSchedules({
  ctx,
}: VerbArgs<unknown>): Promise<{ id: string; name: string; team: string | null; time_zone: string }[]> {
  authorize(ctx.actor, "oncall.read");
  const rows = await ctx.db.select().from(schedules).orderBy(asc(schedules.name));
  return rows.map((r) => ({ id: r.id, name: r.name, team: r.team, time_zone: r.timeZone }));
}

const IdInput = z.object({ id: z.uuid() });

export async function getSchedule({ ctx, input }: VerbArgs<{ id: string }>): Promise<ScheduleDto> {
  authorize(ctx.actor, "oncall.read");
  const { id } = parseInput(IdInput, input);
  return scheduleDto(ctx.db, id, ctx.now);
}

/** Every user id a write names must be a person who exists: else a 400 naming the field. */
async function checkPeopleExist(db: DbOrTx, named: { path: string; userId: string }[]) {
  const facts = await peopleFacts(
    db,
    named.map((n) => n.userId),
  );
  const fieldErrors: FieldError[] = named
    .filter((n) => !facts.known(n.userId))
    .map((n) => ({ path: n.path, message: `no person has id ${n.userId}` }));
  if (fieldErrors.length) throw new AppError("invalid", "The schedule names people who do not exist", { fieldErrors });
}

const layerPeople = (layer: LayerFields, prefix: string) =>
  layer.participants.map((userId, i) => ({ path: `${prefix}participants.${i}`, userId }));

const layerValues = (layer: LayerFields) => ({
  name: layer.name,
  anchor: layer.anchor,
  intervalUnit: layer.interval_unit,
  intervalCount: layer.interval_count,
  participants: layer.participants,
  restrictions: layer.restrictions,
});

/** Runs a schedule change with its audit row, then answers the schedule as it now is (with warnings). */
async function changeSchedule(
  ctx: Ctx,
  scheduleId: string,
  action: string,
  change: (tx: DbOrTx) => Promise<Record<string, unknown>>,
): Promise<ScheduleDto> {
  return inTransaction(ctx, async (txCtx) => {
    const [row] = await txCtx.db.select().from(schedules).where(eq(schedules.id, scheduleId)).for("update");
    if (!row) throw notFound(`Schedule ${scheduleId}`);
    const details = await change(txCtx.db);
    await txCtx.db.update(schedules).set({ updatedAt: ctx.now }).where(eq(schedules.id, scheduleId));
    await recordAudit(txCtx, { action, resourceType: "schedule", resourceId: scheduleId, details });
    return scheduleDto(txCtx.db, scheduleId, ctx.now);
  });
}

async function refuseDuplicateName(db: DbOrTx, name: string, exceptId?: string) {
  const [same] = await db
    .select({ id: schedules.id })
    .from(schedules)
    .where(sql`lower(${schedules.name}) = lower(${name})`);
  if (same && same.id !== exceptId) throw conflict(`A schedule named "${name}" already exists`);
}

export async function createSchedule({ ctx, input }: VerbArgs<z.input<typeof ScheduleFields>>): Promise<ScheduleDto> {
  authorize(ctx.actor, "oncall.manage");
  const fields = parseInput(ScheduleFields, input);
  await checkPeopleExist(
    ctx.db,
    fields.layers.flatMap((l, i) => layerPeople(l, `layers.${i}.`)),
  );
  return inTransaction(ctx, async (txCtx) => {
    await refuseDuplicateName(txCtx.db, fields.name);
    const [row] = await txCtx.db
      .insert(schedules)
      .values({
        name: fields.name,
        description: fields.description,
        team: fields.team,
        timeZone: fields.time_zone,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    if (fields.layers.length)
      await txCtx.db.insert(scheduleLayers).values(
        fields.layers.map((l, position) => ({
          scheduleId: row!.id,
          position,
          ...layerValues(l),
          createdAt: ctx.now,
        })),
      );
    await recordAudit(txCtx, {
      action: "schedule.create",
      resourceType: "schedule",
      resourceId: row!.id,
      details: { name: fields.name, time_zone: fields.time_zone, layers: fields.layers.length },
    });
    return scheduleDto(txCtx.db, row!.id, ctx.now);
  });
}

export async function updateSchedule({
  ctx,
  input,
}: VerbArgs<z.input<typeof UpdateScheduleBody> & { id: string }>): Promise<ScheduleDto> {
  authorize(ctx.actor, "oncall.manage");
  const { id, ...body } = input as { id: string };
  parseInput(IdInput, { id });
  const fields = parseInput(UpdateScheduleBody, body);
  return changeSchedule(ctx, id, "schedule.update", async (tx) => {
    if (fields.name) await refuseDuplicateName(tx, fields.name, id);
    await tx
      .update(schedules)
      .set({
        ...(fields.name !== undefined ? { name: fields.name } : {}),
        ...(fields.description !== undefined ? { description: fields.description } : {}),
        ...(fields.team !== undefined ? { team: fields.team } : {}),
        ...(fields.time_zone !== undefined ? { timeZone: fields.time_zone } : {}),
      })
      .where(eq(schedules.id, id));
    return { ...fields };
  });
}

export async function deleteSchedule({ ctx, input }: VerbArgs<{ id: string }>): Promise<{ deleted: true }> {
  authorize(ctx.actor, "oncall.manage");
  const { id } = parseInput(IdInput, input);
  await inTransaction(ctx, async (txCtx) => {
    const [row] = await txCtx.db.delete(schedules).where(eq(schedules.id, id)).returning();
    if (!row) throw notFound(`Schedule ${id}`);
    await recordAudit(txCtx, {
      action: "schedule.delete",
      resourceType: "schedule",
      resourceId: id,
      details: { name: row.name },
    });
  });
  return { deleted: true };
}

export async function addLayer({
  ctx,
  input,
}: VerbArgs<z.input<typeof LayerFields> & { id: string }>): Promise<ScheduleDto> {
  authorize(ctx.actor, "oncall.manage");
  const { id, ...body } = input as { id: string };
  parseInput(IdInput, { id });
  const layer = parseInput(LayerFields, body);
  await checkPeopleExist(ctx.db, layerPeople(layer, ""));
  return changeSchedule(ctx, id, "schedule.add_layer", async (tx) => {
    const [top] = await tx
      .select({ position: sql<number>`coalesce(max(${scheduleLayers.position}) + 1, 0)::int` })
      .from(scheduleLayers)
      .where(eq(scheduleLayers.scheduleId, id));
    await tx
      .insert(scheduleLayers)
      .values({ scheduleId: id, position: top!.position, ...layerValues(layer), createdAt: ctx.now });
    return { layer: layer.name };
  });
}

const LayerIdInput = z.object({ id: z.uuid(), layer_id: z.uuid() });

export async function replaceLayer({
  ctx,
  input,
}: VerbArgs<z.input<typeof LayerFields> & { id: string; layer_id: string }>): Promise<ScheduleDto> {
  authorize(ctx.actor, "oncall.manage");
  const { id, layer_id, ...body } = input as { id: string; layer_id: string };
  parseInput(LayerIdInput, { id, layer_id });
  const layer = parseInput(LayerFields, body);
  await checkPeopleExist(ctx.db, layerPeople(layer, ""));
  return changeSchedule(ctx, id, "schedule.replace_layer", async (tx) => {
    const [before] = await tx
      .update(scheduleLayers)
      .set(layerValues(layer))
      .where(and(eq(scheduleLayers.id, layer_id), eq(scheduleLayers.scheduleId, id)))
      .returning();
    if (!before) throw notFound(`Layer ${layer_id}`);
    return { layer_id, ...layer };
  });
}

export async function removeLayer({ ctx, input }: VerbArgs<{ id: string; layer_id: string }>): Promise<ScheduleDto> {
  authorize(ctx.actor, "oncall.manage");
  const { id, layer_id } = parseInput(LayerIdInput, input);
  return changeSchedule(ctx, id, "schedule.remove_layer", async (tx) => {
    const [removed] = await tx
      .delete(scheduleLayers)
      .where(and(eq(scheduleLayers.id, layer_id), eq(scheduleLayers.scheduleId, id)))
      .returning();
    if (!removed) throw notFound(`Layer ${layer_id}`);
    return { layer_id, name: removed.name };
  });
}

/** Responders make overrides (swaps, cover); a later override applies on top of earlier ones. */
export async function addOverride({
  ctx,
  input,
}: VerbArgs<z.input<typeof OverrideFields> & { id: string }>): Promise<ScheduleDto> {
  authorize(ctx.actor, "oncall.override");
  const { id, ...body } = input as { id: string };
  parseInput(IdInput, { id });
  const o = parseInput(OverrideFields, body);
  await checkPeopleExist(ctx.db, [
    { path: "user_id", userId: o.user_id },
    ...(o.replaces_user_id ? [{ path: "replaces_user_id", userId: o.replaces_user_id }] : []),
  ]);
  return changeSchedule(ctx, id, "schedule.add_override", async (tx) => {
    const [row] = await tx
      .insert(scheduleOverrides)
      .values({
        scheduleId: id,
        kind: o.kind,
        userId: o.user_id,
        replacesUserId: o.replaces_user_id,
        startsAt: new Date(o.start),
        endsAt: new Date(o.end),
        createdById: actorUserId(ctx.actor),
        createdAt: ctx.now,
      })
      .returning();
    return { override_id: row!.id, ...o };
  });
}

export async function removeOverride({
  ctx,
  input,
}: VerbArgs<{ id: string; override_id: string }>): Promise<ScheduleDto> {
  authorize(ctx.actor, "oncall.override");
  const { id, override_id } = parseInput(z.object({ id: z.uuid(), override_id: z.uuid() }), input);
  return changeSchedule(ctx, id, "schedule.remove_override", async (tx) => {
    const [removed] = await tx
      .delete(scheduleOverrides)
      .where(and(eq(scheduleOverrides.id, override_id), eq(scheduleOverrides.scheduleId, id)))
      .returning();
    if (!removed) throw notFound(`Override ${override_id}`);
    return { override_id, user_id: removed.userId, start: removed.startsAt, end: removed.endsAt };
  });
}

/** One schedule's pure model, with the overrides still in force after `from`. */
export async function loadScheduleModelFrom(
  db: DbOrTx,
  id: string,
  from: Date,
): Promise<{ row: ScheduleRow; model: Schedule }> {
  const [loaded] = await loadScheduleModels(db, [id], from);
  if (!loaded) throw notFound(`Schedule ${id}`);
  return loaded;
}
