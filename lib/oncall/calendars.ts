// Calendars out of the final schedule: secret iCal feeds (per person, across every schedule, or per
// schedule) covering 180 days ahead with every event free (TRANSP:TRANSPARENT) so a calendar does not
// block the day, and a CSV of shifts for on-call pay. ical-generator writes the iCal text. The CSV comes
// from the final schedule for now; the escalation engine's record of who was actually on call replaces
// it as the source for past shifts when it lands.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import ical, { ICalEventTransparency } from "ical-generator";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { calendarFeeds, schedules } from "@/db/schema";
import { csvCell } from "../audit/audit-csv";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { inTransaction, type VerbArgs } from "../context";
import { AppError, notFound } from "../errors";
import { parseInput } from "../input";
import { finalShifts, type Shift } from "./on-call-at";
import { actorUserId } from "./people";
import { loadScheduleModelFrom, loadScheduleModels, peopleFacts } from "./schedules";

export const CALENDAR_DAYS_AHEAD = 180;
/** Past shifts kept in a feed, so this week's earlier shifts stay visible. */
const CALENDAR_DAYS_BEHIND = 14;
const DAY = 86_400_000;
const FEED_PREFIX = "vcal_";

const hashFeedToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const CreateFeedInput = z.union([
  z.strictObject({ user_id: z.string().describe("A person's id, or `me`") }),
  z.strictObject({ schedule_id: z.uuid() }),
]);

export const CalendarFeed = z.object({
  id: z.uuid(),
  kind: z.enum(["user", "schedule"]),
  url: z.string().describe("The secret feed URL; shown once, only its hash is kept"),
});

/** A person subscribes to their own shifts (admins to anyone's); anyone may subscribe to a schedule. */
export async function createCalendarFeed({
  ctx,
  input,
  appUrl,
}: VerbArgs<z.input<typeof CreateFeedInput>> & { appUrl: string }): Promise<z.infer<typeof CalendarFeed>> {
  authorize(ctx.actor, "oncall.read");
  const request = parseInput(CreateFeedInput, input);
  const token = FEED_PREFIX + randomBytes(24).toString("base64url");
  return inTransaction(ctx, async (txCtx) => {
    let values: { kind: "user"; userId: string } | { kind: "schedule"; scheduleId: string };
    if ("user_id" in request) {
      const own = actorUserId(ctx.actor);
      const userId = request.user_id === "me" ? own : request.user_id;
      if (!userId)
        throw new AppError("invalid", "`me` needs a person signed in", {
          fieldErrors: [{ path: "user_id", message: "not a person" }],
        });
      if (userId !== own) authorize(ctx.actor, "oncall.manage");
      if (!(await peopleFacts(txCtx.db, [userId])).known(userId)) throw notFound(`Person ${userId}`);
      values = { kind: "user", userId };
    } else {
      const [schedule] = await txCtx.db
        .select({ id: schedules.id })
        .from(schedules)
        .where(eq(schedules.id, request.schedule_id));
      if (!schedule) throw notFound(`Schedule ${request.schedule_id}`);
      values = { kind: "schedule", scheduleId: schedule.id };
    }
    const [feed] = await txCtx.db
      .insert(calendarFeeds)
      .values({ ...values, tokenHash: hashFeedToken(token), createdById: actorUserId(ctx.actor), createdAt: ctx.now })
      .returning();
    await recordAudit(txCtx, {
      action: "calendar_feed.create",
      resourceType: "calendar_feed",
      resourceId: feed!.id,
      details: values,
    });
    return { id: feed!.id, kind: values.kind, url: `${appUrl}/api/calendar/${token}` };
  });
}

/** Revoking stops the URL at once; its owner (or an admin) may revoke it. */
export async function revokeCalendarFeed({ ctx, input }: VerbArgs<{ id: string }>): Promise<{ revoked: true }> {
  authorize(ctx.actor, "oncall.read");
  const { id } = parseInput(z.object({ id: z.uuid() }), input);
  await inTransaction(ctx, async (txCtx) => {
    const [feed] = await txCtx.db.select().from(calendarFeeds).where(eq(calendarFeeds.id, id)).for("update");
    if (!feed) throw notFound(`Calendar feed ${id}`);
    const own = actorUserId(ctx.actor);
    if (!own || (feed.createdById !== own && feed.userId !== own)) authorize(ctx.actor, "oncall.manage");
    if (feed.revokedAt) return;
    await txCtx.db.update(calendarFeeds).set({ revokedAt: ctx.now }).where(eq(calendarFeeds.id, id));
    await recordAudit(txCtx, { action: "calendar_feed.revoke", resourceType: "calendar_feed", resourceId: id });
  });
  return { revoked: true };
}

interface NamedShift extends Shift {
  scheduleName: string;
  scheduleId: string;
}

/** Every shift of the final schedules in [from, to), with the schedule's name. */
async function shiftsOf(db: DbOrTx, scheduleIds: string[] | null, from: Date, to: Date): Promise<NamedShift[]> {
  const loaded = await loadScheduleModels(db, scheduleIds, from);
  return loaded.flatMap((s) =>
    finalShifts(s.model, from, to).map((shift) => ({ ...shift, scheduleName: s.row.name, scheduleId: s.row.id })),
  );
}

/**
 * The iCal text of a feed, or null when the token is unknown or revoked. The token is the credential
 * (calendar apps send no other), so this is called without an actor.
 */
export async function renderCalendarFeed(db: DbOrTx, token: string, now: Date, appUrl: string): Promise<string | null> {
  if (!token.startsWith(FEED_PREFIX) || token.length > 100) return null;
  const [feed] = await db
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.tokenHash, hashFeedToken(token)), isNull(calendarFeeds.revokedAt)));
  if (!feed) return null;
  const from = new Date(now.getTime() - CALENDAR_DAYS_BEHIND * DAY);
  const to = new Date(now.getTime() + CALENDAR_DAYS_AHEAD * DAY);
  const all = await shiftsOf(db, feed.kind === "schedule" ? [feed.scheduleId!] : null, from, to);
  const shifts = feed.kind === "user" ? all.filter((s) => s.userId === feed.userId) : all;
  const people = await peopleFacts(
    db,
    shifts.map((s) => s.userId),
  );
  const calendar = ical({
    name: feed.kind === "user" ? `On call: ${people.name(feed.userId!)}` : "On call",
    prodId: { company: "Vigil", product: "on-call" },
  });
  for (const shift of shifts) {
    calendar.createEvent({
      id: `${feed.id}-${shift.scheduleId}-${shift.userId}-${shift.start.getTime()}`,
      start: shift.start,
      end: shift.end,
      stamp: now,
      summary:
        feed.kind === "user"
          ? `On call: ${shift.scheduleName}`
          : `${people.name(shift.userId)} on call (${shift.scheduleName})`,
      url: `${appUrl}/oncall/schedules/${shift.scheduleId}`,
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  return calendar.toString();
}

export const ShiftsQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  format: z.enum(["json", "csv"]).default("json"),
});

export const ShiftList = z.object({
  data: z.array(
    z.object({ user_id: z.uuid(), name: z.string(), start: z.string(), end: z.string(), hours: z.number() }),
  ),
});

const MAX_RANGE_DAYS = 400;

type ShiftExport = { format: "json"; body: z.infer<typeof ShiftList> } | { format: "csv"; body: string };
type ShiftsInput = z.input<typeof ShiftsQuery> & { id: string };

/** A schedule's final shifts over a range: JSON for previews, CSV for on-call pay. */
export async function listScheduleShifts({ ctx, input }: VerbArgs<ShiftsInput>): Promise<ShiftExport> {
  authorize(ctx.actor, "oncall.read");
  const { id, ...query } = input as { id: string };
  parseInput(z.object({ id: z.uuid() }), { id });
  const q = parseInput(ShiftsQuery, query, "query");
  const from = new Date(q.from);
  const to = new Date(q.to);
  if (to <= from || to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY)
    throw new AppError("invalid", `to must be after from, at most ${MAX_RANGE_DAYS} days later`, {
      fieldErrors: [{ path: "to", message: `after from, within ${MAX_RANGE_DAYS} days` }],
    });
  const { row, model } = await loadScheduleModelFrom(ctx.db, id, from);
  const shifts = finalShifts(model, from, to);
  const people = await peopleFacts(
    ctx.db,
    shifts.map((s) => s.userId),
  );
  const rows = shifts.map((s) => ({
    user_id: s.userId,
    name: people.name(s.userId),
    start: s.start.toISOString(),
    end: s.end.toISOString(),
    hours: Math.round(((s.end.getTime() - s.start.getTime()) / 3_600_000) * 100) / 100,
  }));
  if (q.format === "json") return { format: "json", body: { data: rows } };
  const header = "schedule,user_id,name,start,end,hours";
  const lines = rows.map((r) => [row.name, r.user_id, r.name, r.start, r.end, String(r.hours)].map(csvCell).join(","));
  return { format: "csv", body: [header, ...lines].join("\r\n") + "\r\n" };
}
