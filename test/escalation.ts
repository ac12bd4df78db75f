// The escalation tests' world: people with contact methods and rules, schedules, a default policy, and
// time driven forward by moving a run's due step (and its job's run_at) to now.
import { eq, sql } from "drizzle-orm";
import { escalations, pages, timelineEvents } from "@/db/schema";
import type { EscalationStep } from "@/lib/oncall/escalation-policy";
import { addContactMethod, addNotificationRule, addPerson } from "@/lib/oncall/people";
import { createPolicy } from "@/lib/oncall/policies";
import { createSchedule } from "@/lib/oncall/schedules";
import { admin, ctxOf } from "./actors";
import type { TestDatabase } from "./database";

let people = 0;

export interface TestPerson {
  id: string;
  name: string;
  email: string;
  phone: string;
}

/** A responder paged at once by SMS and email (high and low urgency), or by the methods given. */
export async function pagedPerson(
  t: TestDatabase,
  name: string,
  methods: { kind: "sms" | "email" | "voice" | "slack"; delay?: number; urgencies?: ("high" | "low")[] }[] = [
    { kind: "sms" },
    { kind: "email" },
  ],
): Promise<TestPerson> {
  const n = ++people;
  const ctx = ctxOf(t.db, admin);
  const email = `${name.split(" ")[0]!.toLowerCase()}${n}-${t.name}@example.com`.slice(0, 200);
  const phone = `+1555${String(1_000_000 + n * 7919).slice(-7)}`;
  const person = await addPerson({ ctx, input: { name, email } });
  for (const method of methods) {
    const value = method.kind === "email" ? email : method.kind === "slack" ? `U0PERSON${n}` : phone;
    const added = await addContactMethod({ ctx, input: { id: person.id, kind: method.kind, value } });
    const methodId = added.contact_methods.find((m) => m.kind === method.kind && m.value === value)!.id;
    for (const urgency of method.urgencies ?? (["high", "low"] as const))
      await addNotificationRule({
        ctx,
        input: { id: person.id, contact_method_id: methodId, urgency, delay_minutes: method.delay ?? 0 },
      });
  }
  return { id: person.id, name, email, phone };
}

/** A schedule with these people on call now, a week each in turn. */
export async function scheduleOf(t: TestDatabase, name: string, participants: string[]): Promise<string> {
  const schedule = await createSchedule({
    ctx: ctxOf(t.db, admin),
    input: {
      name,
      time_zone: "UTC",
      layers: [{ name: "weekly", anchor: "2020-01-06T00:00", interval_unit: "weeks", interval_count: 1, participants }],
    },
  });
  return schedule.id;
}

/** Makes this the default policy (the one incidents follow when nothing else names one). */
export async function defaultPolicy(
  t: TestDatabase,
  name: string,
  steps: EscalationStep[],
  repeat = 0,
): Promise<string> {
  return (await createPolicy({ ctx: ctxOf(t.db, admin), input: { name, steps, repeat, is_default: true } })).id;
}

export async function runOf(t: TestDatabase, incidentId: string) {
  const runs = await t.db.select().from(escalations).where(eq(escalations.incidentId, incidentId));
  return runs.at(-1)!;
}

/** The time of the run's next step is now: its job (and the row) are moved, as if the delay went by. */
export async function stepIsDue(t: TestDatabase, escalationId: string): Promise<void> {
  await t.db
    .update(escalations)
    .set({ nextStepAt: sql`now()` })
    .where(eq(escalations.id, escalationId));
  await t.sql`update graphile_worker._private_jobs set run_at = now() where key = ${`escalation:${escalationId}`}`;
}

/** Every page of the incident, oldest first. */
export const pagesOf = (t: TestDatabase, incidentId: string) =>
  t.db.select().from(pages).where(eq(pages.incidentId, incidentId)).orderBy(pages.createdAt, pages.method);

/** The engine's lines on the incident's timeline. */
export async function engineLines(t: TestDatabase, incidentId: string): Promise<string[]> {
  const rows = await t.db
    .select()
    .from(timelineEvents)
    .where(eq(timelineEvents.incidentId, incidentId))
    .orderBy(timelineEvents.id);
  return rows.filter((r) => ["escalation", "page_sent", "page_failed"].includes(r.kind)).map((r) => r.text);
}
