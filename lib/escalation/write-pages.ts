// A step's pages: one row per person × contact method of each of their notification rules for the
// incident's urgency (due at the rule's delay), and one per Slack channel the step names. The rows'
// unique key makes a step that runs twice page nobody twice; each recipient's send job is then scheduled.
import { and, eq, inArray } from "drizzle-orm";
import { contactMethods, notificationRules, pages, users, type EscalationRow } from "@/db/schema";
import type { Ctx } from "../context";
import type { ResolvedStep } from "../oncall/escalation-policy";
import { rulesFor, type ContactMethodKind } from "../oncall/contact-methods";
import { scheduleSend, type Recipient } from "./schedule-send";

export const methodName: Record<ContactMethodKind, string> = {
  email: "email",
  sms: "SMS",
  slack: "Slack",
  voice: "voice call",
};

const methodOrder: ContactMethodKind[] = ["sms", "voice", "email", "slack"];

/** Writes the step's pages; returns how each target will be reached, for the step's timeline line. */
export async function writeStepPages(ctx: Ctx, escalation: EscalationRow, resolved: ResolvedStep): Promise<string[]> {
  const { db, now } = ctx;
  const userIds = resolved.people.map((p) => p.userId);
  const [people, rules] = userIds.length
    ? await Promise.all([
        db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds)),
        db
          .select({
            userId: notificationRules.userId,
            urgency: notificationRules.urgency,
            delayMinutes: notificationRules.delayMinutes,
            contactMethodId: notificationRules.contactMethodId,
            kind: contactMethods.kind,
            value: contactMethods.value,
          })
          .from(notificationRules)
          .innerJoin(contactMethods, eq(contactMethods.id, notificationRules.contactMethodId))
          .where(and(inArray(notificationRules.userId, userIds), eq(notificationRules.urgency, escalation.urgency))),
      ])
    : [[], []];
  const base = {
    escalationId: escalation.id,
    incidentId: escalation.incidentId,
    step: resolved.step,
    pass: resolved.pass,
  };
  const rows: (typeof pages.$inferInsert)[] = [];
  const lines: string[] = [];
  for (const person of resolved.people) {
    const name = people.find((p) => p.id === person.userId)?.name ?? "a removed user";
    // Rules of one delay in a fixed order, so the timeline reads the same every time.
    const own = rulesFor(
      rules.filter((r) => r.userId === person.userId),
      escalation.urgency,
    ).sort((a, b) => a.delayMinutes - b.delayMinutes || methodOrder.indexOf(a.kind) - methodOrder.indexOf(b.kind));
    if (own.length === 0) {
      lines.push(`${name} (no ${escalation.urgency}-urgency notification rules: not paged)`);
      continue;
    }
    for (const rule of own)
      rows.push({
        ...base,
        userId: person.userId,
        scheduleId: person.via.type === "schedule" ? person.via.scheduleId : null,
        contactMethodId: rule.contactMethodId,
        method: rule.kind,
        address: rule.value,
        ruleDelayMinutes: rule.delayMinutes,
        dueAt: new Date(now.getTime() + rule.delayMinutes * 60_000),
        createdAt: now,
      });
    lines.push(`${name} by ${describeRules(own)}`);
  }
  for (const channel of resolved.slackChannels) {
    rows.push({ ...base, method: "slack", address: channel, dueAt: now, createdAt: now });
    lines.push(`Slack ${channel}`);
  }
  if (rows.length === 0) return lines;
  await db.insert(pages).values(rows).onConflictDoNothing();
  const recipients = new Map<string, Recipient>();
  for (const row of rows) {
    const recipient: Recipient = { userId: row.userId ?? null, method: row.method, address: row.address };
    recipients.set(`${recipient.userId ?? recipient.address}:${recipient.method}`, recipient);
  }
  for (const recipient of recipients.values()) await scheduleSend(db, recipient);
  return lines;
}

/** "SMS and email now, voice call in 5 min". */
function describeRules(rules: { kind: ContactMethodKind; delayMinutes: number }[]): string {
  const byDelay = new Map<number, string[]>();
  for (const rule of rules)
    byDelay.set(rule.delayMinutes, [...(byDelay.get(rule.delayMinutes) ?? []), methodName[rule.kind]]);
  return [...byDelay].map(([delay, names]) => `${listed(names)} ${delay === 0 ? "now" : `in ${delay} min`}`).join(", ");
}

export const listed = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
