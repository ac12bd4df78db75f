// On-call targets for the door tests: a fresh person, schedule, policy, override or feed per call, made by
// an admin (people's own details are theirs and admins'; self-edits are oncall-api.test.ts's).
import type { Database } from "@/db/client";
import { reassignIncident } from "@/lib/escalation/manual";
import { createIncident } from "@/lib/incidents/create-incident";
import { createCalendarFeed } from "@/lib/oncall/calendars";
import { addContactMethod, addNotificationRule } from "@/lib/oncall/people";
import { createPolicy } from "@/lib/oncall/policies";
import { addOverride, createSchedule } from "@/lib/oncall/schedules";
import { admin, ctxOf } from "./actors";
import { TEST_APP_ORIGIN } from "./runtime";

/** `db` is read at each call (the test database exists only once its suite has started). */
export function oncallFixtures(db: () => Database, newUser: () => Promise<string>, label: string) {
  const asAdmin = () => ctxOf(db(), admin);
  const layer = (participants: string[]) => ({
    name: "primary",
    anchor: "2026-01-05T09:00",
    interval_unit: "weeks" as const,
    interval_count: 1,
    participants,
  });
  const newPersonWithMethod = async () => {
    const id = await newUser();
    const person = await addContactMethod({
      ctx: asAdmin(),
      input: { id, kind: "email", value: `${id}@example.com` },
    });
    return { id, methodId: person.contact_methods[0]!.id };
  };
  const newRule = async () => {
    const { id, methodId } = await newPersonWithMethod();
    const person = await addNotificationRule({
      ctx: asAdmin(),
      input: { id, contact_method_id: methodId, urgency: "high", delay_minutes: 0 },
    });
    return { id, ruleId: person.notification_rules[0]!.id };
  };
  const newSchedule = async () =>
    await createSchedule({
      ctx: asAdmin(),
      input: { name: `${label} ${crypto.randomUUID()}`, time_zone: "UTC", layers: [layer([await newUser()])] },
    });
  const newPolicyId = async () =>
    (
      await createPolicy({
        ctx: asAdmin(),
        input: {
          name: `${label} ${crypto.randomUUID()}`,
          steps: [{ delay_minutes: 5, targets: [{ type: "user", user_id: await newUser() }] }],
        },
      })
    ).id;
  const newOverride = async () => {
    const schedule = await newSchedule();
    const after = await addOverride({
      ctx: asAdmin(),
      input: { id: schedule.id, user_id: await newUser(), start: "2030-01-01T00:00:00Z", end: "2030-01-02T00:00:00Z" },
    });
    return { id: schedule.id, overrideId: after.overrides[0]!.id };
  };
  const newFeed = async () =>
    await createCalendarFeed({
      ctx: asAdmin(),
      input: { schedule_id: (await newSchedule()).id },
      appUrl: TEST_APP_ORIGIN,
    });
  /** An open incident with a running escalation (handed to a fresh policy), for the escalate door. */
  const escalatingIncident = async () => {
    const { incident } = await createIncident({
      ctx: asAdmin(),
      input: { title: `${label} escalation`, severity: "P1" },
    });
    const name = `${label} ${crypto.randomUUID()}`;
    await createPolicy({
      ctx: asAdmin(),
      input: { name, steps: [{ delay_minutes: 5, targets: [{ type: "user", user_id: await newUser() }] }] },
    });
    await reassignIncident({ ctx: asAdmin(), input: { ref: incident.ref, policy: name } });
    return incident.ref;
  };
  return { layer, newPersonWithMethod, newRule, newSchedule, newPolicyId, newOverride, newFeed, escalatingIncident };
}
