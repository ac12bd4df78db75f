// Handoff reminders: the person whose shift starts within ONCALL_HANDOFF_REMINDER hears about it first.
// A sweep on the worker's crontab finds the upcoming shifts of every schedule and writes one row per
// (schedule, person, shift start) — the unique key makes every replica's sweep and every rerun after a
// restart agree — and enqueues the send of each new row in the same statement's transaction.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { contactMethods, handoffReminders, notificationRules, schedules, users } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { inTransaction, systemActor } from "../context";
import { DeliveryError } from "../integrations/delivery-error";
import { enqueueJob } from "../jobs/enqueue";
import { defineJob } from "../jobs/job-definition";
import { notificationSettingsOf } from "../notifications/settings";
import type { ContactMethodKind } from "./contact-methods";
import { finalShifts } from "./on-call-at";
import { loadScheduleModels } from "./schedules";
import { sendToContactMethod } from "./send-to-contact-method";

export const HANDOFF_SWEEP_JOB = "oncall.handoff_sweep";
export const HANDOFF_REMINDER_JOB = "oncall.handoff_reminder";

/** The sweep's cron pattern: a reminder goes out between the lead time and five minutes less. */
export const HANDOFF_SWEEP_CRON = "*/5 * * * *";

/** Shifts that start after `now` and within `leadMs`: a person already on call is not reminded. */
export async function sweepHandoffs(db: Parameters<typeof loadScheduleModels>[0], now: Date, leadMs: number) {
  const until = new Date(now.getTime() + leadMs);
  const upcoming = (await loadScheduleModels(db, null, now)).flatMap(({ row, model }) =>
    finalShifts(model, now, until)
      .filter((shift) => shift.start > now)
      .map((shift) => ({ scheduleId: row.id, userId: shift.userId, shiftStart: shift.start, shiftEnd: shift.end })),
  );
  if (upcoming.length === 0) return 0;
  return inTransaction({ db, actor: systemActor(), now }, async ({ db: tx }) => {
    const added = await tx
      .insert(handoffReminders)
      .values(upcoming.map((u) => ({ ...u, createdAt: now })))
      .onConflictDoNothing()
      .returning({ id: handoffReminders.id });
    for (const { id } of added) await enqueueJob(tx, HANDOFF_REMINDER_JOB, { reminder_id: id }, { maxAttempts: 5 });
    return added.length;
  });
}

export const handoffSweepJob = defineJob({
  name: HANDOFF_SWEEP_JOB,
  payload: z.unknown(),
  maxAttempts: 3,
  async handler(_payload, job) {
    if (job.config.handoffReminderMs <= 0) return;
    const added = await sweepHandoffs(job.db, new Date(), job.config.handoffReminderMs);
    if (added > 0) job.logger.info({ reminders: added }, "handoff reminders planned");
  },
});

/** "Mon 7 Dec 09:00" on the person's wall clock, with the zone named. */
function localTime(at: Date, zone: string): string {
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  return `${text.replace(",", "")} (${zone})`;
}

/** The methods a reminder goes by: those of the person's low-urgency rules, else any, never a phone call. */
function reminderMethods(
  methods: { id: string; kind: ContactMethodKind; value: string }[],
  lowUrgencyMethodIds: string[],
) {
  const usable = methods.filter((m) => m.kind !== "voice");
  const chosen = usable.filter((m) => lowUrgencyMethodIds.includes(m.id));
  return chosen.length > 0 ? chosen : usable.slice(0, 1);
}

export const handoffReminderJob = defineJob({
  name: HANDOFF_REMINDER_JOB,
  payload: z.object({ reminder_id: z.uuid() }),
  maxAttempts: 5,
  async handler({ reminder_id }, job) {
    const [reminder] = await job.db
      .select({
        id: handoffReminders.id,
        userId: handoffReminders.userId,
        shiftStart: handoffReminders.shiftStart,
        shiftEnd: handoffReminders.shiftEnd,
        scheduleName: schedules.name,
        scheduleZone: schedules.timeZone,
        personName: users.name,
        personZone: users.timeZone,
      })
      .from(handoffReminders)
      .innerJoin(schedules, eq(schedules.id, handoffReminders.scheduleId))
      .innerJoin(users, eq(users.id, handoffReminders.userId))
      .where(and(eq(handoffReminders.id, reminder_id), isNull(handoffReminders.sentAt)));
    if (!reminder) return;
    const methods = await job.db
      .select({ id: contactMethods.id, kind: contactMethods.kind, value: contactMethods.value })
      .from(contactMethods)
      .where(eq(contactMethods.userId, reminder.userId))
      .orderBy(asc(contactMethods.createdAt));
    const lowUrgency = methods.length
      ? await job.db
          .select({ id: notificationRules.contactMethodId })
          .from(notificationRules)
          .where(
            and(
              eq(notificationRules.urgency, "low"),
              inArray(
                notificationRules.contactMethodId,
                methods.map((m) => m.id),
              ),
            ),
          )
      : [];
    const zone = reminder.personZone ?? reminder.scheduleZone;
    const text = `Vigil: you go on call for ${reminder.scheduleName} at ${localTime(reminder.shiftStart, zone)}, until ${localTime(reminder.shiftEnd, zone)}.`;
    const outcomes: string[] = [];
    for (const method of reminderMethods(
      methods,
      lowUrgency.map((r) => r.id),
    )) {
      try {
        const notSent = await sendToContactMethod(notificationSettingsOf(job.config), method, {
          subject: `On call for ${reminder.scheduleName} from ${localTime(reminder.shiftStart, zone)}`,
          text,
          id: `handoff-${reminder.id}-${method.id}`,
        });
        outcomes.push(notSent ? `${method.kind}: not sent (${notSent})` : `${method.kind}: sent`);
      } catch (error) {
        // A passing failure retries the whole reminder while attempts remain (a method that went out may
        // then go twice: a repeated reminder beats a missed shift); the last attempt records the failure.
        if (error instanceof DeliveryError && !error.permanent && job.attempt < job.maxAttempts) throw error;
        outcomes.push(`${method.kind}: failed (${(error as Error).message})`);
      }
    }
    const outcome = outcomes.length > 0 ? outcomes.join("; ") : "not sent: no contact method";
    const now = new Date();
    await inTransaction({ db: job.db, actor: systemActor("Vigil on-call"), now }, async (ctx) => {
      await ctx.db.update(handoffReminders).set({ sentAt: now, outcome }).where(eq(handoffReminders.id, reminder.id));
      await recordAudit(ctx, {
        action: "oncall.handoff_reminder",
        resourceType: "user",
        resourceId: reminder.userId,
        details: { schedule: reminder.scheduleName, shift_start: reminder.shiftStart.toISOString(), outcome },
      });
    });
  },
});
