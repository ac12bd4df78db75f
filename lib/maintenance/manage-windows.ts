// The maintenance verbs: create, list, end early and delete a window; snooze an incident's alert group.
// Each writes its change, its audit row (and a snooze its timeline event) and schedules the window's end
// job in one transaction.
import { and, desc, eq, gt, isNull, lte, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { maintenanceWindows, type MaintenanceWindowRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { describeActor, type Ctx, type VerbArgs, inTransaction } from "../context";
import { conflict, invalid } from "../errors";
import { appendTimelineEvent, findIncident } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { parseInput } from "../input";
import { IncidentRefInput } from "../incidents/schemas";
import { describeHold, holdIncident, mutingWindows } from "./muting";
import {
  CreateMaintenanceWindowInput,
  ListMaintenanceWindowsQuery,
  MAX_WINDOW_MS,
  MaintenanceWindowIdInput,
  SnoozeIncidentInput,
  type MaintenanceWindow,
} from "./schemas";
import { findWindowForUpdate, scheduleWindowEnd, toMaintenanceWindowDto } from "./window-store";
import { windowState } from "./window-matcher";

export async function createMaintenanceWindow({
  ctx,
  input,
}: VerbArgs<CreateMaintenanceWindowInput>): Promise<MaintenanceWindow> {
  authorize(ctx.actor, "maintenance.manage");
  const parsed = parseInput(CreateMaintenanceWindowInput, input);
  const startsAt = parsed.starts_at ? new Date(parsed.starts_at) : ctx.now;
  const endsAt = parsed.ends_at ? new Date(parsed.ends_at) : new Date(startsAt.getTime() + parsed.duration!);
  const field = parsed.ends_at ? "ends_at" : "duration";
  if (endsAt <= startsAt)
    throw invalid("The window must end after it starts", [{ path: field, message: "must be after starts_at" }]);
  if (endsAt <= ctx.now)
    throw invalid("The window would be over already", [{ path: field, message: "must be in the future" }]);
  if (endsAt.getTime() - startsAt.getTime() > MAX_WINDOW_MS)
    throw invalid("A window lasts at most 14 days", [
      { path: field, message: "must be at most 14 days after starts_at" },
    ]);
  const labels = parsed.labels ?? {};
  const name = parsed.name ?? describeMatcher(parsed.service, parsed.team, labels);
  return inTransaction(ctx, async (txCtx) => {
    const who = describeActor(ctx.actor);
    const [row] = await txCtx.db
      .insert(maintenanceWindows)
      .values({
        kind: "window",
        name,
        reason: parsed.reason,
        service: parsed.service ?? null,
        team: parsed.team ?? null,
        labels,
        startsAt,
        endsAt,
        createdAt: ctx.now,
        createdByName: who.name,
        createdByUserId: who.userId,
      })
      .returning();
    await scheduleWindowEnd(txCtx.db, row!);
    const window = toMaintenanceWindowDto(row!, ctx.now);
    await recordAudit(txCtx, {
      action: "maintenance_window.create",
      resourceType: "maintenance_window",
      resourceId: row!.id,
      details: {
        name,
        reason: parsed.reason,
        matcher: window.matcher,
        starts_at: window.starts_at,
        ends_at: window.ends_at,
      },
    });
    return window;
  });
}

const describeMatcher = (service: string | undefined, team: string | undefined, labels: Record<string, string>) =>
  [
    ...(service ? [`service=${service}`] : []),
    ...(team ? [`team=${team}`] : []),
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  ].join(", ");

type ListArgs = VerbArgs<{ state?: string }>;

/** Windows and snoozes, latest end first; deleted ones are never listed. */
export async function listMaintenanceWindows({ ctx, input }: ListArgs): Promise<MaintenanceWindow[]> {
  authorize(ctx.actor, "maintenance.read");
  const { state } = parseInput(ListMaintenanceWindowsQuery, input, "query");
  const m = maintenanceWindows;
  const byState: Record<typeof state, SQL | undefined> = {
    active: and(lte(m.startsAt, ctx.now), gt(m.endsAt, ctx.now)),
    upcoming: gt(m.startsAt, ctx.now),
    ended: lte(m.endsAt, ctx.now),
    all: undefined,
  };
  const rows = await ctx.db
    .select()
    .from(m)
    .where(and(isNull(m.deletedAt), byState[state]))
    .orderBy(desc(m.endsAt))
    .limit(500);
  return rows.map((row) => toMaintenanceWindowDto(row, ctx.now));
}

/** The windows and snoozes muting this incident now (the incident page's note). */
export async function listIncidentMaintenance({ ctx, input }: VerbArgs<{ ref: string }>): Promise<MaintenanceWindow[]> {
  authorize(ctx.actor, "maintenance.read");
  const { ref } = parseInput(IncidentRefInput, input);
  const incident = await findIncident(ctx.db, ref);
  return (await mutingWindows(ctx.db, incident, ctx.now)).map((row) => toMaintenanceWindowDto(row, ctx.now));
}

/** The windows and snoozes in force now (the board's banner). */
export const activeMaintenanceWindows = (ctx: Ctx) => listMaintenanceWindows({ ctx, input: { state: "active" } });

/** Ends an active or upcoming window now; its end job then pages what it held back. */
export async function endMaintenanceWindow({ ctx, input }: VerbArgs<{ id: string }>): Promise<MaintenanceWindow> {
  authorize(ctx.actor, "maintenance.manage");
  const { id } = parseInput(MaintenanceWindowIdInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const before = await findWindowForUpdate(txCtx.db, id);
    if (windowState(before, ctx.now) === "ended")
      throw conflict(`Maintenance window “${before.name}” has already ended`);
    const row = await cutShort(txCtx.db, ctx, before, {});
    await recordAudit(txCtx, {
      action: "maintenance_window.end",
      resourceType: "maintenance_window",
      resourceId: id,
      details: { name: row.name, planned_end: before.endsAt.toISOString(), ended_at: ctx.now.toISOString() },
    });
    return toMaintenanceWindowDto(row, ctx.now);
  });
}

/**
 * Deletes a window (admins): it leaves the lists, and if it was in force it ends now, so what it held back
 * is paged. The row stays for the incidents and audit rows that name it.
 */
export async function deleteMaintenanceWindow({ ctx, input }: VerbArgs<{ id: string }>): Promise<void> {
  authorize(ctx.actor, "maintenance.delete");
  const { id } = parseInput(MaintenanceWindowIdInput, input);
  await inTransaction(ctx, async (txCtx) => {
    const before = await findWindowForUpdate(txCtx.db, id);
    const state = windowState(before, ctx.now);
    if (state === "ended")
      await txCtx.db.update(maintenanceWindows).set({ deletedAt: ctx.now }).where(eq(maintenanceWindows.id, id));
    else await cutShort(txCtx.db, ctx, before, { deletedAt: ctx.now });
    await recordAudit(txCtx, {
      action: "maintenance_window.delete",
      resourceType: "maintenance_window",
      resourceId: id,
      details: { name: before.name, kind: before.kind, state_when_deleted: state },
    });
  });
}

/** Ends a window now (an upcoming one never starts); its end job moves to now. */
async function cutShort(
  tx: DbOrTx,
  ctx: Ctx,
  before: MaintenanceWindowRow,
  extra: { deletedAt?: Date },
): Promise<MaintenanceWindowRow> {
  const [row] = await tx
    .update(maintenanceWindows)
    .set({
      startsAt: before.startsAt > ctx.now ? ctx.now : before.startsAt,
      endsAt: ctx.now,
      endedEarlyAt: ctx.now,
      endedEarlyBy: describeActor(ctx.actor).name,
      ...extra,
    })
    .where(eq(maintenanceWindows.id, before.id))
    .returning();
  await scheduleWindowEnd(tx, row!);
  return row!;
}

/**
 * "Snooze this alert group for 1 h": a window on the incident's alert group, from now. The incident is
 * held from now on (its later pages and re-triggers, and new incidents of its group); when the snooze ends
 * and it is still unresolved, the normal paging starts (what was already sent is not sent again).
 */
export async function snoozeIncident({ ctx, input }: VerbArgs<SnoozeIncidentInput>): Promise<MaintenanceWindow> {
  authorize(ctx.actor, "incident.snooze");
  const { ref, duration, reason } = parseInput(SnoozeIncidentInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const incident = await findIncident(txCtx.db, ref, { lock: true });
    const incidentRef = formatIncidentRef(incident.number);
    if (incident.groupKey === null)
      throw conflict(`${incidentRef} was declared by hand, not opened by alerts: it has no alert group to snooze`);
    const who = describeActor(ctx.actor);
    const endsAt = new Date(ctx.now.getTime() + duration);
    const [row] = await txCtx.db
      .insert(maintenanceWindows)
      .values({
        kind: "snooze",
        name: `Snooze of ${incidentRef}`,
        reason: reason ?? `Snoozed from ${incidentRef}`,
        groupKey: incident.groupKey,
        incidentId: incident.id,
        startsAt: ctx.now,
        endsAt,
        createdAt: ctx.now,
        createdByName: who.name,
        createdByUserId: who.userId,
      })
      .returning();
    await scheduleWindowEnd(txCtx.db, row!);
    if (incident.status !== "resolved") await holdIncident(txCtx.db, incident.id, [row!], ctx.now);
    const minutes = Math.round(duration / 60_000);
    const window = toMaintenanceWindowDto(row!, ctx.now);
    await appendTimelineEvent(
      txCtx,
      incident.id,
      {
        kind: "muted",
        text: `Alert group snoozed for ${minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`}: paging and automatic remediation held, ${describeHold(row!)}${reason ? ` (${reason})` : ""}`,
        data: { windows: [row!.id], until: window.ends_at },
      },
      {
        audit: {
          action: "incident.snooze",
          resourceType: "incident",
          resourceId: incident.id,
          details: { ref: incidentRef, window_id: row!.id, until: window.ends_at, reason: row!.reason },
        },
      },
    );
    return window;
  });
}
