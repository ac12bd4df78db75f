// The incident's escalation as the incident page and the API read it, on PostgreSQL, from rows written
// here as the engine writes them: the latest run with its policy and state, its pages oldest first, and
// nothing for an incident no policy applied to.
import { beforeAll, describe, expect, it } from "vitest";
import { escalations, pages, users } from "@/db/schema";
import { getIncidentEscalation } from "@/lib/escalation/read-escalation";
import { createIncident } from "@/lib/incidents/create-incident";
import { createPolicy } from "@/lib/oncall/policies";
import { createSchedule } from "@/lib/oncall/schedules";
import { admin, ctxOf, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import * as escalationRoute from "@/app/api/v1/incidents/[ref]/escalation/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const newIncident = async (title: string) =>
  (await createIncident({ ctx: ctxOf(t.db, admin), input: { title, severity: "P1" } })).incident;

let incident: { id: string; ref: string };
let quiet: { id: string; ref: string };
let bob: string;
let policyId: string;

beforeAll(async () => {
  bob = (
    await t.db
      .insert(users)
      .values({ email: `bob-${crypto.randomUUID()}@example.com`, name: "Bob Responder", role: "responder" })
      .returning()
  )[0]!.id;
  const schedule = await createSchedule({
    ctx: ctxOf(t.db, admin),
    input: {
      name: "primary on-call",
      time_zone: "UTC",
      layers: [
        { name: "week", anchor: "2026-01-05T09:00", interval_unit: "weeks", interval_count: 1, participants: [bob] },
      ],
    },
  });
  policyId = (
    await createPolicy({
      ctx: ctxOf(t.db, admin),
      input: {
        name: "checkout",
        repeat: 2,
        steps: [
          { delay_minutes: 15, targets: [{ type: "schedule", schedule_id: schedule.id }] },
          { delay_minutes: 15, targets: [{ type: "slack_channel", channel: "C0INCIDENTS" }] },
        ],
      },
    })
  ).id;
  incident = await newIncident("checkout 5xx");
  quiet = await newIncident("no policy");
  // An earlier run (the incident reopened since), then the latest: step 2 due at 09:30.
  const run = (state: "stopped" | "active", startedAt: string, extra: Partial<typeof escalations.$inferInsert> = {}) =>
    t.db
      .insert(escalations)
      .values({
        incidentId: incident.id,
        policyId,
        policyName: "checkout",
        policySource: "routing",
        urgency: "high",
        state,
        startedAt: new Date(startedAt),
        ...extra,
      })
      .returning();
  await run("stopped", "2026-12-07T07:00:00Z", {
    endedAt: new Date("2026-12-07T07:05:00Z"),
    endedReason: "acknowledged by Bob Responder from Slack",
  });
  const [latest] = await run("active", "2026-12-07T09:00:00Z", {
    step: 1,
    nextStepAt: new Date("2026-12-07T09:30:00Z"),
  });
  const page = (values: Partial<typeof pages.$inferInsert> & { dueAt: Date }) =>
    t.db
      .insert(pages)
      .values({
        escalationId: latest!.id,
        incidentId: incident.id,
        step: 0,
        pass: 0,
        method: "sms",
        address: "+15550100",
        createdAt: values.dueAt,
        ...values,
      })
      .returning();
  // Inserted out of order: the answer is by due time.
  await page({
    userId: bob,
    method: "voice",
    ruleDelayMinutes: 5,
    status: "pending",
    dueAt: new Date("2026-12-07T09:05:00Z"),
  });
  await page({
    userId: bob,
    scheduleId: schedule.id,
    status: "sent",
    dueAt: new Date("2026-12-07T09:00:00Z"),
    sentAt: new Date("2026-12-07T09:00:02Z"),
  });
  await page({
    step: 1,
    method: "slack",
    address: "C0INCIDENTS",
    status: "cancelled",
    dueAt: new Date("2026-12-07T09:15:00Z"),
  });
});

describe("getIncidentEscalation", () => {
  it("gives the latest run's policy, why, where it stands and its pages, oldest first", async () => {
    const answer = await getIncidentEscalation(ctxOf(t.db, viewer), incident.id);
    expect(answer.escalation).toMatchObject({
      policy_id: policyId,
      policy_name: "checkout",
      policy_source: "routing",
      urgency: "high",
      state: "active",
      step: 2,
      pass: 1,
      steps_per_pass: 2,
      passes: 3,
      next_step_at: "2026-12-07T09:30:00.000Z",
      ended_reason: null,
    });
    expect(answer.earlier_runs).toBe(1);
    expect(answer.pages.map((p) => [p.name, p.channel, p.method, p.status, p.step, p.schedule_name])).toEqual([
      ["Bob Responder", null, "sms", "sent", 1, "primary on-call"],
      ["Bob Responder", null, "voice", "pending", 1, null],
      [null, "C0INCIDENTS", "slack", "cancelled", 2, null],
    ]);
    expect(answer.pages[0]).toMatchObject({ sent_at: "2026-12-07T09:00:02.000Z", bundled: false });
  });

  it("says no policy applied when the engine started no run", async () => {
    expect(await getIncidentEscalation(ctxOf(t.db, viewer), quiet.id)).toEqual({
      escalation: null,
      earlier_runs: 0,
      pages: [],
    });
  });

  it("answers GET /api/v1/incidents/{ref}/escalation, and 404 for an unknown incident", async () => {
    const res = await call(escalationRoute.GET, "GET", `/api/v1/incidents/${incident.ref}/escalation`, {
      token: tokens.viewer,
      params: { ref: incident.ref },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.escalation.state).toBe("active");
    expect(body.pages).toHaveLength(3);
    // People's addresses stay out of the answer; a channel post says its channel.
    expect(JSON.stringify(body)).not.toContain("+15550100");
    const missing = await call(escalationRoute.GET, "GET", "/api/v1/incidents/INC-99999/escalation", {
      token: tokens.viewer,
      params: { ref: "INC-99999" },
    });
    expect(missing.status).toBe(404);
  });
});
