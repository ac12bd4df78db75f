// People steering an escalation: escalate now (the verb and its door) runs the next step at once;
// reassigning pages a person (the new owner) or another policy instead, stopping the run that was.
import { describe, expect, it } from "vitest";
import { POST as escalateDoor } from "@/app/api/v1/incidents/[ref]/escalate/route";
import { POST as ackDoor } from "@/app/api/v1/incidents/[ref]/ack/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { systemActor } from "@/lib/context";
import { escalateNow, reassignIncident } from "@/lib/escalation/manual";
import { getIncident } from "@/lib/incidents/get-incident";
import { createPolicy } from "@/lib/oncall/policies";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { defaultPolicy, engineLines, pagedPerson, runOf } from "@/test/escalation";
import { drainJobs } from "@/test/jobs";
import { incidentFromAlert, useNotificationFakes } from "@/test/notifications";
import { call } from "@/test/runtime";

const t = useTestDatabase();
const fakes = useNotificationFakes(t);

const p1 = () => incidentFromAlert(t, { alertname: "QueueStuck", service: "billing", severity: "page" }, "Queue stuck");
const smsTo = (phone: string) => fakes.sms.messages().filter((m) => m.to === phone);
const alice = { type: "user", userId: "", name: "Alice Admin", email: "alice@example.com", role: "admin" } as const;

async function twoSteps(label: string) {
  const first = await pagedPerson(t, "Gina First", [{ kind: "sms" }]);
  const second = await pagedPerson(t, "Hal Second", [{ kind: "sms" }]);
  await defaultPolicy(t, label, [
    { delay_minutes: 30, targets: [{ type: "user", user_id: first.id }], delivery: "everyone" },
    { delay_minutes: 30, targets: [{ type: "user", user_id: second.id }], delivery: "everyone" },
  ]);
  return { first, second };
}

describe("escalate now", () => {
  it("runs the next step at once and names who asked", async () => {
    const { second } = await twoSteps("manual");
    const incident = await p1();
    await drainJobs(t);
    const result = await escalateNow({
      ctx: ctxOf(t.db, { ...alice, userId: second.id }),
      input: { ref: incident.ref },
    });
    expect(result.escalation).toMatchObject({ state: "active", next_step: 3 });
    await drainJobs(t);
    expect(smsTo(second.phone)).toHaveLength(1);
    const lines = await engineLines(t, incident.id);
    expect(lines).toContain("Alice Admin escalated now: step 2");
    expect(lines).not.toContain("Nobody acknowledged in 30 min: escalating to step 2");
  });

  it("through its door, and an acknowledgement through the API door stops what is left", async () => {
    const { first, second } = await twoSteps("manual door");
    const incident = await p1();
    await drainJobs(t);
    const { token } = await createApiToken({
      ctx: ctxOf(t.db, systemActor()),
      input: { name: "ops", role: "responder" },
    });
    const res = await call(escalateDoor, "POST", `/api/v1/incidents/${incident.ref}/escalate`, {
      token,
      params: { ref: incident.ref },
    });
    expect(res.status).toBe(200);
    const acked = await call(ackDoor, "POST", `/api/v1/incidents/${incident.ref}/ack`, {
      token,
      params: { ref: incident.ref },
    });
    expect(acked.status).toBe(200);
    await drainJobs(t);
    expect((await runOf(t, incident.id)).state).toBe("stopped");
    expect(await engineLines(t, incident.id)).toContain("Escalation stopped: acknowledged by ops through the API");
    expect(smsTo(first.phone)).toHaveLength(1);
    // Step 2's page was still waiting for its send when the acknowledgement came: it never goes out.
    expect(smsTo(second.phone)).toEqual([]);
    // Nothing left to escalate: the door says why.
    const again = await call(escalateDoor, "POST", `/api/v1/incidents/${incident.ref}/escalate`, {
      token,
      params: { ref: incident.ref },
    });
    expect(again.status).toBe(409);
  });
});

describe("reassigning", () => {
  it("to a person stops the run, makes them the owner and pages them", async () => {
    const { first } = await twoSteps("before reassign");
    const ivy = await pagedPerson(t, "Ivy Expert", [{ kind: "sms" }]);
    const incident = await p1();
    await drainJobs(t);
    const result = await reassignIncident({ ctx: ctxOf(t.db, admin), input: { ref: incident.ref, user_id: ivy.id } });
    expect(result.incident.owner?.name).toBe("Ivy Expert");
    expect(result.escalation).toMatchObject({
      state: "active",
      policy: "Reassigned to Ivy Expert",
      policy_source: "reassigned",
    });
    await drainJobs(t);
    expect(smsTo(ivy.phone)).toHaveLength(1);
    expect(smsTo(first.phone)).toHaveLength(1);
    const lines = await engineLines(t, incident.id);
    expect(lines).toContain("Escalation stopped: admin bot reassigned the incident to Ivy Expert");
    expect(lines).toContain("Escalation started: “Reassigned to Ivy Expert” (reassigned by admin bot), high urgency");
    expect((await getIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } })).owner?.name).toBe("Ivy Expert");
  });

  it("to a policy runs that policy, and refuses a name that names none", async () => {
    await twoSteps("current");
    const jack = await pagedPerson(t, "Jack Database", [{ kind: "sms" }]);
    await createPolicy({
      ctx: ctxOf(t.db, admin),
      input: { name: "Database", steps: [{ delay_minutes: 10, targets: [{ type: "user", user_id: jack.id }] }] },
    });
    const incident = await p1();
    await drainJobs(t);
    await expect(
      reassignIncident({ ctx: ctxOf(t.db, admin), input: { ref: incident.ref, policy: "Nope" } }),
    ).rejects.toMatchObject({ code: "invalid" });
    const result = await reassignIncident({
      ctx: ctxOf(t.db, admin),
      input: { ref: incident.ref, policy: "database" },
    });
    expect(result.escalation).toMatchObject({ policy: "Database", policy_source: "reassigned" });
    await drainJobs(t);
    expect(smsTo(jack.phone)).toHaveLength(1);
  });
});
