import { createHmac } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications, timelineEvents } from "@/db/schema";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { createIncident } from "@/lib/incidents/create-incident";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { handlePagerDutyWebhook } from "@/lib/integrations/pagerduty/webhook";
import { notificationSettings } from "@/lib/notifications/settings";
import { planNotifications } from "@/lib/notifications/plan-notifications";
import { ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { incidentFromAlert, PAGERDUTY_WEBHOOK_SECRET, useNotificationFakes } from "@/test/notifications";
import { drainJobs, queuedJobs } from "@/test/jobs";

const t = useTestDatabase();
const fakes = useNotificationFakes(t);
const WEBHOOK_SECRET = PAGERDUTY_WEBHOOK_SECRET;

async function pagedIncident(severity = "page") {
  return incidentFromAlert(t, { alertname: "HighErrorRate", service: "checkout", severity }, "Checkout 5xx above 5%");
}

const timelineKinds = async (incidentId: string) =>
  (
    await t.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incidentId)).orderBy(timelineEvents.id)
  ).map((e) => [e.kind, e.text] as const);
// Messages planned together share their creation time: then by channel, not by which was delivered last.
const deliveries = (incidentId: string) =>
  t.db
    .select()
    .from(notifications)
    .where(eq(notifications.incidentId, incidentId))
    .orderBy(notifications.createdAt, notifications.channel);
const accepted = <T extends { failedWith?: number }>(received: T[]) =>
  received.filter((r) => r.failedWith === undefined);

describe("an incident that opens", () => {
  it("pages PagerDuty and posts the card to Slack critical for a P1, with the right bodies", async () => {
    const incident = await pagedIncident();
    await drainJobs(t);

    const [trigger] = fakes.pagerduty.received;
    expect(trigger?.body).toMatchObject({
      routing_key: fakes.env.PAGERDUTY_ROUTING_KEY,
      event_action: "trigger",
      dedup_key: incident.id,
      payload: {
        summary: `[${incident.ref}] Checkout 5xx above 5%`,
        source: "checkout",
        severity: "critical",
        component: "checkout",
      },
      links: [{ href: `https://vigil.example.com/incidents/${incident.ref}`, text: `${incident.ref} in Vigil` }],
    });
    const [card] = fakes.slack.messagesIn("#incidents-critical");
    expect(card?.text).toContain(`P1 ${incident.ref}: Checkout 5xx above 5%`);
    expect(JSON.stringify(card?.blocks)).toContain("incident_acknowledge");

    const rows = await deliveries(incident.id);
    expect(rows.map((r) => [r.channel, r.purpose, r.status])).toEqual([
      ["pagerduty", "open", "sent"],
      ["slack", "open", "sent"],
    ]);
    expect(rows[1]!.externalId).toBe(card!.ts);
    const kinds = await timelineKinds(incident.id);
    expect(kinds).toContainEqual(["notification_sent", "Paged via PagerDuty"]);
    expect(kinds).toContainEqual(["notification_sent", "Posted to Slack #incidents-critical"]);
    expect(fakes.smtp.received).toEqual([]);
  });

  it("routes a P3 to Slack warnings only", async () => {
    const incident = await pagedIncident("warning");
    await drainJobs(t);
    expect(fakes.pagerduty.received).toEqual([]);
    expect(fakes.slack.messagesIn("#incidents-warnings")).toHaveLength(1);
    expect((await deliveries(incident.id)).map((r) => r.channel)).toEqual(["slack"]);
  });
});

describe("a new incident's first messages", () => {
  /** The queued jobs about this incident: its events' plan and trigger jobs, its messages' deliver jobs. */
  async function jobsAbout(incidentId: string) {
    const events = new Set(
      (
        await t.db
          .select({ id: timelineEvents.id })
          .from(timelineEvents)
          .where(eq(timelineEvents.incidentId, incidentId))
      ).map((e) => e.id),
    );
    const messages = new Set((await deliveries(incidentId)).map((n) => n.id));
    return (await queuedJobs(t)).filter(
      (j) => events.has(Number(j.payload.event_id)) || messages.has(String(j.payload.notification_id)),
    );
  }

  it("are planned by the transaction that opens the incident, each with its deliver job, and go out once", async () => {
    const incident = await pagedIncident();
    const rows = await deliveries(incident.id);
    expect(rows.map((r) => [r.channel, r.purpose, r.status])).toEqual([
      ["pagerduty", "open", "pending"],
      ["slack", "open", "pending"],
    ]);
    const jobs = await jobsAbout(incident.id);
    expect(jobs.filter((j) => j.task === "notify.plan")).toEqual([]);
    expect(
      jobs
        .filter((j) => j.task === "notify.deliver")
        .map((j) => j.payload.notification_id)
        .sort(),
    ).toEqual(rows.map((r) => r.id).sort());

    await drainJobs(t);
    expect(fakes.pagerduty.received).toHaveLength(1);
    expect(fakes.slack.messagesIn("#incidents-critical")).toHaveLength(1);
    expect((await deliveries(incident.id)).map((r) => r.status)).toEqual(["sent", "sent"]);
  });

  it("leave automatic remediation to its job, which finds nothing to do for an incident without a runbook", async () => {
    const incident = await incidentFromAlert(
      t,
      { alertname: "NoRunbookForThis", service: "checkout", severity: "page" },
      "Nothing to restart",
    );
    // No escalation policy exists here, so no escalation job (lib/escalation/__tests__/no-policy.test.ts).
    expect((await jobsAbout(incident.id)).map((j) => j.task).sort()).toEqual([
      "notify.deliver",
      "notify.deliver",
      "remediation.trigger",
    ]);
    await drainJobs(t);
    expect(await t.sql`select 1 from remediation_runs where incident_id = ${incident.id}`).toHaveLength(0);
  });

  it("are planned by a job when the routing could not be used at ingestion, with the same result", async () => {
    const incident = await incidentFromAlert(
      t,
      { alertname: "HighErrorRate", service: "checkout", severity: "page" },
      "Checkout 5xx above 5%",
      { planLater: true },
    );
    expect(await deliveries(incident.id)).toEqual([]);
    expect((await jobsAbout(incident.id)).map((j) => j.task)).toContain("notify.plan");

    await drainJobs(t);
    expect(fakes.pagerduty.received).toHaveLength(1);
    expect(fakes.slack.messagesIn("#incidents-critical")).toHaveLength(1);
    expect((await deliveries(incident.id)).map((r) => [r.channel, r.status])).toEqual([
      ["pagerduty", "sent"],
      ["slack", "sent"],
    ]);
  });
});

describe("changes that follow", () => {
  it("acknowledges and resolves in PagerDuty, and updates the Slack card in place with thread replies", async () => {
    const incident = await pagedIncident();
    await drainJobs(t);
    await acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } });
    await drainJobs(t);
    await resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, resolution_note: "Rolled back" } });
    await drainJobs(t);

    expect(fakes.pagerduty.received.map((r) => (r.body as { event_action: string }).event_action)).toEqual([
      "trigger",
      "acknowledge",
      "resolve",
    ]);
    expect(fakes.pagerduty.incidents().find((i) => i.dedupKey === incident.id)?.status).toBe("resolved");
    const [card, ...replies] = fakes.slack.messagesIn("#incidents-critical");
    expect(card?.text).toContain("(Resolved ✅)");
    expect(replies.map((r) => [r.thread_ts, r.text])).toEqual([
      [card!.ts, "Acknowledged by responder bot"],
      [card!.ts, "Resolved by responder bot: Rolled back. Still firing: HighErrorRate"],
    ]);
  });
});

describe("when a vendor fails", () => {
  it("delivers exactly once after PagerDuty answers 500 for a while, with each failure on the timeline", async () => {
    fakes.pagerduty.fail({ times: 3, status: 500 });
    const incident = await pagedIncident();
    await drainJobs(t);

    expect(fakes.pagerduty.received.map((r) => r.failedWith ?? r.status)).toEqual([500, 500, 500, 202]);
    expect(fakes.pagerduty.incidents().filter((i) => i.dedupKey === incident.id)).toHaveLength(1);
    const [pd] = (await deliveries(incident.id)).filter((r) => r.channel === "pagerduty");
    expect(pd).toMatchObject({ status: "sent", attempts: 4 });
    const failures = (await timelineKinds(incident.id)).filter(([kind]) => kind === "notification_failed");
    expect(failures.map(([, text]) => text.replace(/Retrying in \d+ s/, "…"))).toEqual([
      "PagerDuty delivery failed, attempt 1 of 5: PagerDuty answered HTTP 500: Internal error (fake). …",
      "PagerDuty delivery failed, attempt 2 of 5: PagerDuty answered HTTP 500: Internal error (fake). …",
      "PagerDuty delivery failed, attempt 3 of 5: PagerDuty answered HTTP 500: Internal error (fake). …",
    ]);
  });

  it("waits as long as Slack's Retry-After says", async () => {
    fakes.slack.fail({ times: 1, status: 429, retryAfterSeconds: 1, only: "chat.postMessage" });
    const incident = await pagedIncident();
    await drainJobs(t);
    const posts = fakes.slack.received.filter((r) => r.method === "chat.postMessage");
    expect(posts.map((p) => p.failedWith ?? p.status)).toEqual([429, 200]);
    expect(Date.parse(posts[1]!.at) - Date.parse(posts[0]!.at)).toBeGreaterThanOrEqual(950);
    expect((await deliveries(incident.id)).find((r) => r.channel === "slack")?.status).toBe("sent");
  });

  it("falls back to email and SMS when PagerDuty refuses the event for good", async () => {
    fakes.pagerduty.fail({
      times: 1,
      status: 400,
      body: { status: "invalid event", message: "Event object is invalid", errors: ["routing key is unknown"] },
    });
    const incident = await pagedIncident();
    await drainJobs(t);

    const rows = await deliveries(incident.id);
    expect(rows.find((r) => r.channel === "pagerduty")).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "PagerDuty answered HTTP 400: Event object is invalid; routing key is unknown",
    });
    expect(rows.filter((r) => r.isFallback).map((r) => [r.channel, r.target, r.status])).toEqual([
      ["email", "oncall@example.com", "sent"],
      ["sms", "+15551234567", "sent"],
    ]);
    const [mail] = fakes.smtp.received;
    expect(mail).toMatchObject({ to: ["oncall@example.com"], subject: `[P1] ${incident.ref}: Checkout 5xx above 5%` });
    expect(mail?.html).toContain(`https://vigil.example.com/incidents/${incident.ref}`);
    expect(accepted(fakes.sms.received)[0]).toMatchObject({ to: "+15551234567" });
    const kinds = await timelineKinds(incident.id);
    expect(kinds).toContainEqual([
      "notification_fallback",
      "Fell back to email (oncall@example.com) and sms (+15551234567)",
    ]);
    expect(kinds).toContainEqual(["notification_sent", "Fallback: Emailed oncall@example.com"]);
  });

  it("after a crash mid-post, adopts the Slack message it already posted instead of posting twice", async () => {
    const incident = await createIncident({ ctx: ctxOf(t.db), input: { title: "Crash test", severity: "P2" } });
    // Plan by hand, so the delivery is queued but has not run yet.
    const [created] = await t.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.incidentId, incident.incident.id));
    await planNotifications(t.db, created!.id, notificationSettings(), new Date());
    const [slack] = (await deliveries(incident.incident.id)).filter((r) => r.channel === "slack");
    // The first attempt posted, then its worker died before recording the ts: the row is left `sending`.
    const posted = await fetch(`${fakes.slack.url}/api/chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${fakes.env.SLACK_BOT_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        channel: "#incidents-critical",
        text: "card",
        metadata: { event_type: "vigil_notification", event_payload: { notification_id: slack!.id } },
      }),
    }).then((r) => r.json() as Promise<{ ts: string }>);
    await t.db
      .update(notifications)
      .set({ status: "sending", attempts: 1, leaseUntil: new Date(Date.now() - 1000) })
      .where(eq(notifications.id, slack!.id));

    await drainJobs(t);
    expect(fakes.slack.received.filter((r) => r.method === "chat.postMessage")).toHaveLength(1);
    const [row] = await t.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.id, slack!.id)));
    expect(row).toMatchObject({ status: "sent", externalId: posted.ts, attempts: 2 });
  });
});

describe("PagerDuty webhooks in", () => {
  const sign = (body: string) => `v1=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
  const deliver = (body: string, signature: string, deliveryId: string) =>
    handlePagerDutyWebhook({
      ctx: { db: t.db, now: new Date(), ip: "198.51.100.9" },
      rawBody: body,
      signature,
      deliveryId,
      secret: WEBHOOK_SECRET,
    });
  const acknowledgedBy = (incidentId: string) =>
    JSON.stringify({
      event: {
        id: "01ABC",
        event_type: "incident.acknowledged",
        resource_type: "incident",
        occurred_at: new Date().toISOString(),
        agent: { id: "PUSER1", summary: "Dana Oncall", type: "user_reference" },
        data: { id: "Q1PDINCIDENT", type: "incident", incident_key: incidentId, status: "acknowledged" },
      },
    });

  it("refuses a bad signature and changes nothing", async () => {
    const incident = await pagedIncident();
    const error = await deliver(acknowledgedBy(incident.id), "v1=deadbeef", "d-bad").catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe("unauthenticated");
    const [row] = await t.sql`select status from incidents where id = ${incident.id}`;
    expect(row!.status).toBe("open");
  });

  it("acknowledges once when the same delivery comes twice, accepts any of several signatures, and does not echo to PagerDuty", async () => {
    const incident = await pagedIncident();
    await drainJobs(t);
    fakes.reset();
    const body = acknowledgedBy(incident.id);
    const signatures = `v1=${"0".repeat(64)},${sign(body)}`;
    expect(await deliver(body, signatures, "delivery-1")).toMatchObject({
      outcome: "applied",
      event_type: "incident.acknowledged",
    });
    expect(await deliver(body, signatures, "delivery-1")).toMatchObject({ outcome: "duplicate" });
    await drainJobs(t);

    const acks = (await timelineKinds(incident.id)).filter(([kind]) => kind === "acknowledged");
    expect(acks).toEqual([["acknowledged", "Acknowledged by Dana Oncall (PagerDuty)"]]);
    expect(fakes.pagerduty.received).toEqual([]);
    expect(fakes.slack.received.some((r) => r.method === "chat.update")).toBe(true);
    const [row] = await t.sql`select pagerduty_incident_id from incidents where id = ${incident.id}`;
    expect(row!.pagerduty_incident_id).toBe("Q1PDINCIDENT");
  });
});
