// Handoff reminders: the person whose shift starts within the lead time hears about it once, by the
// methods of their low-urgency rules, however many sweeps run; a person already on call is not reminded.
import { describe, expect, it } from "vitest";
import { sweepHandoffs } from "@/lib/oncall/handoff-reminders";
import { addContactMethod, addNotificationRule, addPerson } from "@/lib/oncall/people";
import { createSchedule } from "@/lib/oncall/schedules";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { useNotificationFakes } from "@/test/notifications";

const t = useTestDatabase();
const fakes = useNotificationFakes(t);
const HOUR = 3_600_000;

/** "YYYY-MM-DDTHH:MM" in UTC, the wall clock of a UTC schedule. */
const utcWall = (at: Date) => at.toISOString().slice(0, 16);

async function personWithEmail(name: string, rule: "low" | "high" | null) {
  const person = await addPerson({
    ctx: ctxOf(t.db, admin),
    input: { name, email: `${name.toLowerCase()}@example.com`, time_zone: "Europe/London" },
  });
  const withEmail = await addContactMethod({
    ctx: ctxOf(t.db, admin),
    input: { id: person.id, kind: "email", value: `${name.toLowerCase()}@example.com` },
  });
  await addContactMethod({ ctx: ctxOf(t.db, admin), input: { id: person.id, kind: "sms", value: "+15550004444" } });
  if (rule)
    await addNotificationRule({
      ctx: ctxOf(t.db, admin),
      input: { id: person.id, contact_method_id: withEmail.contact_methods[0]!.id, urgency: rule, delay_minutes: 0 },
    });
  return person;
}

describe("handoff reminders", () => {
  it("reminds the next person once before their shift, by their low-urgency method, and audits it", async () => {
    const now = new Date();
    const ivy = await personWithEmail("Ivy", "low");
    const jon = await personWithEmail("Jon", "low");
    // Ivy's shift starts in 30 minutes (nobody is on call before the anchor); Jon's a day later.
    const anchor = new Date(Math.floor((now.getTime() + HOUR / 2) / 60_000) * 60_000);
    await createSchedule({
      ctx: ctxOf(t.db, admin),
      input: {
        name: "Payments primary",
        time_zone: "UTC",
        layers: [
          {
            name: "daily",
            anchor: utcWall(anchor),
            interval_unit: "days",
            interval_count: 1,
            participants: [ivy.id, jon.id],
          },
        ],
      },
    });

    expect(await sweepHandoffs(t.db, now, HOUR)).toBe(1);
    // Every replica's sweep and every later one agree: still one reminder.
    expect(await sweepHandoffs(t.db, new Date(now.getTime() + 60_000), HOUR)).toBe(0);
    await drainJobs(t);

    const mails = fakes.smtp.received.filter((m) => m.to.includes("ivy@example.com"));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain("you go on call for Payments primary");
    expect(mails[0]!.text).toContain("(Europe/London)");
    // Only the method of her low-urgency rule: no SMS.
    expect(fakes.sms.received).toHaveLength(0);
    expect(fakes.smtp.received.some((m) => m.to.includes("jon@example.com"))).toBe(false);

    const [audit] = await t.sql`select details from audit_log where action = 'oncall.handoff_reminder'`;
    expect(audit).toMatchObject({ details: { schedule: "Payments primary", outcome: "email: sent" } });
    const [row] = await t.sql`select sent_at from handoff_reminders where user_id = ${ivy.id}`;
    expect(row?.sent_at).not.toBeNull();
  });

  it("does not remind the person already on call, and falls back to a method when no rule names one", async () => {
    const now = new Date();
    const kim = await personWithEmail("Kim", null);
    const lee = await personWithEmail("Lee", null);
    // Hourly shifts: Kim has been on call for 40 minutes, Lee takes over in 20, Kim again in 80.
    const anchor = new Date(Math.floor((now.getTime() - (40 * HOUR) / 60) / 60_000) * 60_000);
    await createSchedule({
      ctx: ctxOf(t.db, admin),
      input: {
        name: "Search primary",
        time_zone: "UTC",
        layers: [
          {
            name: "hourly",
            anchor: utcWall(anchor),
            interval_unit: "hours",
            interval_count: 1,
            participants: [kim.id, lee.id],
          },
        ],
      },
    });
    await sweepHandoffs(t.db, now, HOUR);
    await drainJobs(t);
    const reminded = fakes.smtp.received.flatMap((m) => m.to);
    expect(reminded).not.toContain("kim@example.com");
    expect(reminded).toContain("lee@example.com");
  });
});
