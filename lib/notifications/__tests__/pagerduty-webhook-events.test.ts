// PagerDuty webhooks (V3) back into Vigil, through the route handler with correctly signed requests:
// incident.triggered links the PagerDuty incident Vigil's page opened; incident.resolved,
// incident.reassigned and incident.annotated call the same verbs people use, acting as the PagerDuty
// user, and a change PagerDuty told us about is never echoed back to it.
import { createHash, createHmac } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, incidents, timelineEvents, users } from "@/db/schema";
import * as route from "@/app/api/v1/webhooks/pagerduty/route";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { incidentFromAlert, PAGERDUTY_WEBHOOK_SECRET, useNotificationFakes } from "@/test/notifications";
import { drainJobs } from "@/test/jobs";
import { call } from "@/test/runtime";

const t = useTestDatabase();
const fakes = useNotificationFakes(t);
const WEBHOOK_SECRET = PAGERDUTY_WEBHOOK_SECRET;
const path = "/api/v1/webhooks/pagerduty";

let pdIds = 0;

/** A P1 incident from Alertmanager, paged to PagerDuty and posted to Slack. */
async function pagedIncident() {
  const { ref, id } = await incidentFromAlert(
    t,
    { alertname: "HighErrorRate", service: "checkout", severity: "page" },
    "Checkout 5xx above 5%",
  );
  await drainJobs(t);
  sinceMark();
  return { ref, id, pagerdutyId: `Q${++pdIds}PDINCIDENT` };
}

type Incident = Awaited<ReturnType<typeof pagedIncident>>;
const agent = { id: "PUSER1", summary: "Dana Oncall", type: "user_reference" };

/** A V3 event about the PagerDuty incident itself (its data is the incident, incident_key our id). */
const incidentEvent = (incident: Incident, eventType: string, data: Record<string, unknown> = {}) =>
  JSON.stringify({
    event: {
      id: `01EV${Math.random().toString(36).slice(2)}`,
      event_type: eventType,
      resource_type: "incident",
      occurred_at: new Date().toISOString(),
      agent,
      data: { id: incident.pagerdutyId, type: "incident", incident_key: incident.id, ...data },
    },
  });

/** A V3 incident.annotated event: its data is the note, naming the incident by reference only. */
const annotatedEvent = (pagerdutyId: string, content: string) =>
  JSON.stringify({
    event: {
      id: `01EV${Math.random().toString(36).slice(2)}`,
      event_type: "incident.annotated",
      resource_type: "incident",
      occurred_at: new Date().toISOString(),
      agent,
      data: {
        incident: { id: pagerdutyId, type: "incident_reference", summary: "Checkout 5xx above 5%" },
        id: "PNOTE1",
        content,
        trimmed: false,
        type: "incident_note",
      },
    },
  });

const sign = (raw: string) => `v1=${createHmac("sha256", WEBHOOK_SECRET).update(raw).digest("hex")}`;

/** POSTs the body as PagerDuty does: signed, with its delivery id. */
async function deliver(raw: string, deliveryId: string) {
  const res = await call(route.POST, "POST", path, {
    rawBody: raw,
    headers: { "x-pagerduty-signature": sign(raw), "x-webhook-id": deliveryId, "content-type": "application/json" },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const timeline = async (incidentId: string) =>
  (
    await t.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incidentId)).orderBy(timelineEvents.id)
  ).map((e) => ({ kind: e.kind, text: e.text, actorType: e.actorType, actorId: e.actorId }));
const incidentRow = async (incidentId: string) =>
  (await t.db.select().from(incidents).where(eq(incidents.id, incidentId)))[0]!;
// The fakes keep their state (the Slack card must stay there to be updated); tests look at what arrived
// since the last mark instead of resetting them.
let mark = { pagerduty: 0, slack: 0 };
function sinceMark() {
  mark = { pagerduty: fakes.pagerduty.received.length, slack: fakes.slack.received.length };
}
const pagerDutySinceMark = () => fakes.pagerduty.received.slice(mark.pagerduty);
const slackSinceMark = () => fakes.slack.received.slice(mark.slack);
const pagerDutyActions = () => pagerDutySinceMark().map((r) => (r.body as { event_action: string }).event_action);
const threadReplies = () =>
  slackSinceMark()
    .filter((r) => r.method === "chat.postMessage" && r.params.thread_ts)
    .map((r) => [r.params.channel, r.params.text]);

describe("incident.triggered from PagerDuty", () => {
  const linkAudits = async (incidentId: string) =>
    (
      await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.resourceId, incidentId), eq(auditLog.action, "incident.link_pagerduty")))
    ).map((a) => ({
      actorType: a.actorType,
      actorName: a.actorName,
      details: a.details,
    }));

  it("links the PagerDuty incident Vigil's page opened, with a timeline event and an audit row, once", async () => {
    const incident = await pagedIncident();
    const html_url = `https://acme.pagerduty.com/incidents/${incident.pagerdutyId}`;
    const raw = incidentEvent(incident, "incident.triggered", { status: "triggered", html_url });

    expect(await deliver(raw, "triggered-1")).toEqual({
      status: 200,
      body: { outcome: "applied", event_type: "incident.triggered", incident: incident.id },
    });
    // PagerDuty delivers at least once, and may send the same news as a new event: neither links twice.
    expect((await deliver(raw, "triggered-1")).body).toMatchObject({ outcome: "duplicate" });
    expect(await deliver(incidentEvent(incident, "incident.triggered", { html_url }), "triggered-1b")).toEqual({
      status: 200,
      body: { outcome: "ignored", event_type: "incident.triggered", incident: incident.id },
    });
    await drainJobs(t);

    expect(await incidentRow(incident.id)).toMatchObject({ status: "open", pagerdutyIncidentId: incident.pagerdutyId });
    expect((await timeline(incident.id)).filter((e) => e.kind === "pagerduty_linked")).toEqual([
      {
        kind: "pagerduty_linked",
        text: `Paging in PagerDuty incident ${incident.pagerdutyId} (${html_url})`,
        actorType: "webhook",
        actorId: "pagerduty",
      },
    ]);
    expect(await linkAudits(incident.id)).toEqual([
      {
        actorType: "webhook",
        actorName: "Dana Oncall (PagerDuty)",
        details: { ref: incident.ref, pagerduty_incident_id: incident.pagerdutyId, previous: null, html_url },
      },
    ]);
    // Bookkeeping, not news: nothing goes back to PagerDuty or to the Slack thread.
    expect(pagerDutySinceMark()).toEqual([]);
    expect(slackSinceMark()).toEqual([]);
  });

  it("links the new PagerDuty incident when the reopened incident pages again under the same key", async () => {
    const incident = await pagedIncident();
    await deliver(incidentEvent(incident, "incident.triggered"), "triggered-2");
    const second = `Q${++pdIds}PDINCIDENT`;

    expect(
      (await deliver(incidentEvent({ ...incident, pagerdutyId: second }, "incident.triggered"), "triggered-3")).body,
    ).toMatchObject({ outcome: "applied" });

    expect((await incidentRow(incident.id)).pagerdutyIncidentId).toBe(second);
    expect((await timeline(incident.id)).filter((e) => e.kind === "pagerduty_linked").map((e) => e.text)).toEqual([
      `Paging in PagerDuty incident ${incident.pagerdutyId}`,
      `PagerDuty incident ${second} replaces ${incident.pagerdutyId}`,
    ]);
    // Notes on the new PagerDuty incident now find the Vigil incident.
    expect((await deliver(annotatedEvent(second, "Paged again after the reopen"), "note-3")).body).toMatchObject({
      outcome: "applied",
      incident: incident.id,
    });
  });

  // Alertmanager pages PagerDuty directly for the alerts about Vigil itself, with its own dedup key
  // (the SHA-256 of its group key): PagerDuty's webhook for that incident is not about a Vigil incident.
  it("ignores a PagerDuty incident Vigil did not trigger, as it ignores other events it has no use for", async () => {
    const alertmanagerKey = createHash("sha256")
      .update('{}/{pager="alertmanager"}:{alertname="VigilDown", cluster="prod", service="vigil"}')
      .digest("hex");
    const raw = JSON.stringify({
      event: {
        id: "01EVALERTMANAGER",
        event_type: "incident.triggered",
        resource_type: "incident",
        occurred_at: new Date().toISOString(),
        agent: null,
        data: {
          id: "QAMPAGE",
          type: "incident",
          incident_key: alertmanagerKey,
          status: "triggered",
          title: "VigilDown on vigil",
        },
      },
    });
    const before = await t.db.select().from(incidents);

    expect(await deliver(raw, "triggered-am")).toEqual({
      status: 200,
      body: { outcome: "ignored", event_type: "incident.triggered" },
    });
    expect(await t.db.select().from(incidents)).toEqual(before);
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "incident.link_pagerduty"))).not.toContainEqual(
      expect.objectContaining({ details: expect.objectContaining({ pagerduty_incident_id: "QAMPAGE" }) }),
    );
  });
});

describe("incident.resolved from PagerDuty", () => {
  it("resolves the Vigil incident once when the same delivery comes twice, and does not echo a resolve to PagerDuty", async () => {
    const incident = await pagedIncident();
    const raw = incidentEvent(incident, "incident.resolved", { status: "resolved" });

    const first = await deliver(raw, "resolved-1");
    expect(first).toEqual({
      status: 200,
      body: { outcome: "applied", event_type: "incident.resolved", incident: incident.id },
    });
    const second = await deliver(raw, "resolved-1");
    expect(second).toEqual({ status: 200, body: { outcome: "duplicate", event_type: "incident.resolved" } });
    await drainJobs(t);

    const row = await incidentRow(incident.id);
    expect(row).toMatchObject({
      status: "resolved",
      resolutionNote: "Resolved in PagerDuty",
      autoResolved: false,
      pagerdutyIncidentId: incident.pagerdutyId,
    });
    expect(row.resolvedAt).toBeInstanceOf(Date);
    const resolved = (await timeline(incident.id)).filter((e) => e.kind === "resolved");
    expect(resolved).toEqual([
      {
        kind: "resolved",
        text: "Resolved by Dana Oncall (PagerDuty): Resolved in PagerDuty. Still firing: HighErrorRate",
        actorType: "webhook",
        actorId: "pagerduty",
      },
    ]);
    const [processed] =
      await t.sql`select count(*)::int as n from webhook_deliveries where source = 'pagerduty' and delivery_id = 'resolved-1'`;
    expect(processed!.n).toBe(1);

    // Not sent back to PagerDuty; the PagerDuty side stays as PagerDuty left it.
    expect(pagerDutySinceMark()).toEqual([]);
    expect(fakes.pagerduty.incident(incident.id)?.status).toBe("triggered");
    // Slack still hears of it: the card is updated in place and the thread told once.
    const [card] = fakes.slack.messagesIn("#incidents-critical");
    expect(card?.text).toContain("(Resolved ✅)");
    expect(threadReplies()).toEqual([
      [
        "#incidents-critical",
        "Resolved by Dana Oncall (PagerDuty): Resolved in PagerDuty. Still firing: HighErrorRate",
      ],
    ]);
  });

  it("changes nothing when a second, separate delivery of the resolve arrives (a new X-Webhook-Id)", async () => {
    const incident = await pagedIncident();
    expect((await deliver(incidentEvent(incident, "incident.resolved"), "resolved-a")).body).toMatchObject({
      outcome: "applied",
    });
    await drainJobs(t);
    const resolvedAt = (await incidentRow(incident.id)).resolvedAt;
    sinceMark();

    expect(await deliver(incidentEvent(incident, "incident.resolved"), "resolved-b")).toEqual({
      status: 200,
      body: { outcome: "ignored", event_type: "incident.resolved", incident: incident.id },
    });
    await drainJobs(t);

    expect((await incidentRow(incident.id)).resolvedAt).toEqual(resolvedAt);
    expect((await timeline(incident.id)).filter((e) => e.kind === "resolved")).toHaveLength(1);
    expect(pagerDutySinceMark()).toEqual([]);
    expect(slackSinceMark()).toEqual([]);
  });

  it("is a no-op when PagerDuty reports back a resolve that Vigil itself sent", async () => {
    const incident = await pagedIncident();
    await resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, resolution_note: "Rolled back" } });
    await drainJobs(t);
    expect(pagerDutyActions()).toEqual(["resolve"]);
    sinceMark();

    expect((await deliver(incidentEvent(incident, "incident.resolved"), "resolved-echo")).body).toMatchObject({
      outcome: "ignored",
      event_type: "incident.resolved",
    });
    await drainJobs(t);

    const row = await incidentRow(incident.id);
    expect(row).toMatchObject({ status: "resolved", resolutionNote: "Rolled back" });
    expect((await timeline(incident.id)).filter((e) => e.kind === "resolved").map((e) => e.text)).toEqual([
      "Resolved by responder bot: Rolled back. Still firing: HighErrorRate",
    ]);
    expect(pagerDutySinceMark()).toEqual([]);
    expect(slackSinceMark()).toEqual([]);
  });

  it("refuses a resolve whose signature does not match, and leaves the incident open", async () => {
    const incident = await pagedIncident();
    const raw = incidentEvent(incident, "incident.resolved");
    const res = await call(route.POST, "POST", path, {
      rawBody: raw,
      headers: { "x-pagerduty-signature": sign(`${raw} `), "x-webhook-id": "resolved-forged" },
    });
    expect(res.status).toBe(401);
    expect((await incidentRow(incident.id)).status).toBe("open");
    const [processed] =
      await t.sql`select count(*)::int as n from webhook_deliveries where delivery_id = 'resolved-forged'`;
    expect(processed!.n).toBe(0);
  });
});

describe("incident.reassigned from PagerDuty", () => {
  it("makes the Vigil user with the assignee's email (any case) the owner, without telling PagerDuty", async () => {
    const incident = await pagedIncident();
    const [sam] = await t.db
      .insert(users)
      .values({ email: "sam.responder@example.com", name: "Sam Responder", role: "responder" })
      .returning();
    const raw = incidentEvent(incident, "incident.reassigned", {
      assignees: [{ id: "PUSER2", summary: "Sam R.", email: "Sam.Responder@Example.com", type: "user_reference" }],
    });

    expect(await deliver(raw, "reassigned-1")).toEqual({
      status: 200,
      body: { outcome: "applied", event_type: "incident.reassigned", incident: incident.id },
    });
    expect((await deliver(raw, "reassigned-1")).body).toMatchObject({ outcome: "duplicate" });
    await drainJobs(t);

    expect((await incidentRow(incident.id)).ownerId).toBe(sam!.id);
    const updates = (await timeline(incident.id)).filter((e) => e.kind === "updated");
    expect(updates).toEqual([
      {
        kind: "updated",
        text: "Dana Oncall (PagerDuty): owner set to Sam Responder",
        actorType: "webhook",
        actorId: "pagerduty",
      },
    ]);
    expect((await timeline(incident.id)).filter((e) => e.kind === "note")).toEqual([]);
    expect(pagerDutySinceMark()).toEqual([]);
  });

  it("notes the reassignment on the timeline, owner unchanged, when no Vigil user has the assignee's email", async () => {
    const incident = await pagedIncident();
    const raw = incidentEvent(incident, "incident.reassigned", {
      assignees: [
        { id: "PUSER3", summary: "Robin Contractor", email: "robin@contractor.example", type: "user_reference" },
      ],
    });

    expect((await deliver(raw, "reassigned-2")).body).toMatchObject({
      outcome: "applied",
      event_type: "incident.reassigned",
    });
    await drainJobs(t);

    expect((await incidentRow(incident.id)).ownerId).toBeNull();
    const notes = (await timeline(incident.id)).filter((e) => e.kind === "note");
    expect(notes).toEqual([
      { kind: "note", text: "Reassigned in PagerDuty to Robin Contractor", actorType: "webhook", actorId: "pagerduty" },
    ]);
    expect(pagerDutySinceMark()).toEqual([]);
  });

  it("finds the owner by name when the assignee carries no email (PagerDuty's usual reference), if exactly one user has it", async () => {
    const incident = await pagedIncident();
    const [kim] = await t.db
      .insert(users)
      .values({ email: `kim-${Date.now()}@example.com`, name: "Kim Nakamura", role: "responder" })
      .returning();
    await deliver(
      incidentEvent(incident, "incident.reassigned", {
        assignees: [{ id: "PUSER5", summary: "kim nakamura", type: "user_reference" }],
      }),
      "reassigned-5",
    );
    expect((await incidentRow(incident.id)).ownerId).toBe(kim!.id);

    // Two people of one name: nobody is guessed, the reassignment is noted.
    const other = await pagedIncident();
    await t.db.insert(users).values([
      { email: `lee-1-${Date.now()}@example.com`, name: "Lee Park", role: "responder" },
      { email: `lee-2-${Date.now()}@example.com`, name: "Lee Park", role: "responder" },
    ]);
    await deliver(
      incidentEvent(other, "incident.reassigned", {
        assignees: [{ id: "PUSER6", summary: "Lee Park", type: "user_reference" }],
      }),
      "reassigned-6",
    );
    expect((await incidentRow(other.id)).ownerId).toBeNull();
    expect((await timeline(other.id)).filter((e) => e.kind === "note").map((e) => e.text)).toEqual([
      "Reassigned in PagerDuty to Lee Park",
    ]);
  });

  it("notes the reassignment when the assignee reference carries no email, and names 'someone' when there is no assignee", async () => {
    const incident = await pagedIncident();
    await deliver(
      incidentEvent(incident, "incident.reassigned", {
        assignees: [{ id: "PUSER4", summary: "Alex Oncall", type: "user_reference" }],
      }),
      "reassigned-3",
    );
    await deliver(incidentEvent(incident, "incident.reassigned", { assignees: [] }), "reassigned-4");

    expect((await incidentRow(incident.id)).ownerId).toBeNull();
    expect((await timeline(incident.id)).filter((e) => e.kind === "note").map((e) => e.text)).toEqual([
      "Reassigned in PagerDuty to Alex Oncall",
      "Reassigned in PagerDuty to someone",
    ]);
  });
});

describe("incident.annotated from PagerDuty", () => {
  it("becomes a timeline note, finding the incident by the PagerDuty id learnt from an earlier event", async () => {
    const incident = await pagedIncident();
    // The first event carries incident_key; Vigil learns the PagerDuty incident id from it.
    expect((await deliver(incidentEvent(incident, "incident.acknowledged"), "ack-1")).body).toMatchObject({
      outcome: "applied",
    });
    expect((await incidentRow(incident.id)).pagerdutyIncidentId).toBe(incident.pagerdutyId);
    await drainJobs(t);
    sinceMark();

    const raw = annotatedEvent(incident.pagerdutyId, "Rolled back the canary; error rate recovering");
    expect(await deliver(raw, "note-1")).toEqual({
      status: 200,
      body: { outcome: "applied", event_type: "incident.annotated", incident: incident.id },
    });
    expect((await deliver(raw, "note-1")).body).toMatchObject({ outcome: "duplicate" });
    await drainJobs(t);

    const notes = (await timeline(incident.id)).filter((e) => e.kind === "note");
    expect(notes).toEqual([
      {
        kind: "note",
        text: "PagerDuty note: Rolled back the canary; error rate recovering",
        actorType: "webhook",
        actorId: "pagerduty",
      },
    ]);
    // The incident's status and PagerDuty id are untouched; the note id did not replace the incident id.
    expect(await incidentRow(incident.id)).toMatchObject({
      status: "acknowledged",
      pagerdutyIncidentId: incident.pagerdutyId,
    });
    expect(pagerDutySinceMark()).toEqual([]);
    expect(threadReplies()).toEqual([
      ["#incidents-critical", "PagerDuty note: Rolled back the canary; error rate recovering"],
    ]);
  });

  it("cuts a note longer than a timeline note may be, rather than refusing it (which would fail every retry)", async () => {
    const incident = await pagedIncident();
    await deliver(incidentEvent(incident, "incident.acknowledged"), "ack-long");
    const res = await deliver(annotatedEvent(incident.pagerdutyId, "x".repeat(20_000)), "note-long");
    expect(res.body).toMatchObject({ outcome: "applied" });
    const [note] = (await timeline(incident.id)).filter((e) => e.kind === "note");
    expect(note!.text).toHaveLength(10_000);
    expect(note!.text.endsWith("…")).toBe(true);
  });

  it("answers unknown_incident, and adds nothing, for a note on a PagerDuty incident Vigil has not linked yet", async () => {
    const incident = await pagedIncident();
    expect(await deliver(annotatedEvent(incident.pagerdutyId, "Too early"), "note-2")).toEqual({
      status: 200,
      body: { outcome: "unknown_incident", event_type: "incident.annotated" },
    });
    expect((await timeline(incident.id)).filter((e) => e.kind === "note")).toEqual([]);
  });
});
