// Slack answers errors as HTTP 200 with `ok: false`: an error no retry can get past (channel_not_found)
// fails the delivery at once and sends the rule's fallback; a transient one (internal_error, a 5xx) is
// retried with the timeline told, and only running out of attempts fails it.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications, timelineEvents } from "@/db/schema";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { incidentFromAlert, useNotificationFakes } from "@/test/notifications";
import { drainJobs } from "@/test/jobs";

const t = useTestDatabase();
const fakes = useNotificationFakes(t);

/** A P3 incident: the built-in routing posts it to Slack warnings only, with email as its fallback. */
async function warningIncident() {
  return incidentFromAlert(t, { alertname: "DiskFilling", service: "search", severity: "warning" }, "Disk 85% full");
}

/** Slack's way of refusing a call: HTTP 200, `ok: false` and the error's name. */
const slackAnswers = (error: string, times = 1) =>
  fakes.slack.fail({ times, status: 200, body: { ok: false, error }, only: "chat.postMessage" });

const deliveries = (incidentId: string) =>
  t.db.select().from(notifications).where(eq(notifications.incidentId, incidentId)).orderBy(notifications.createdAt);
const timelineOf = async (incidentId: string, kinds: string[]) =>
  (await t.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incidentId)).orderBy(timelineEvents.id))
    .filter((e) => kinds.includes(e.kind))
    .map((e) => [e.kind, e.text.replace(/Retrying in \d+ s/, "Retrying in … s")] as const);
/** Each chat.postMessage call as answered: the error a failure plan gave, or "ok". */
const posts = () =>
  fakes.slack.received
    .filter((r) => r.method === "chat.postMessage")
    .map((r) => (r.failedWith === undefined ? (r.ok ? "ok" : r.error) : "refused"));

describe("Slack answers ok: false with a permanent error", () => {
  it("fails the card for good after one attempt on channel_not_found, and falls back to email", async () => {
    slackAnswers("channel_not_found");
    const incident = await warningIncident();
    await drainJobs(t);

    expect(posts()).toEqual(["refused"]);
    const rows = await deliveries(incident.id);
    expect(rows.find((r) => r.channel === "slack")).toMatchObject({
      purpose: "open",
      target: "#incidents-warnings",
      status: "failed",
      attempts: 1,
      lastError: "Slack answered channel_not_found",
      externalId: null,
      isFallback: false,
    });
    expect(rows.filter((r) => r.isFallback).map((r) => [r.channel, r.purpose, r.target, r.status])).toEqual([
      ["email", "fallback", "oncall@example.com", "sent"],
    ]);

    expect(fakes.smtp.received).toHaveLength(1);
    expect(fakes.smtp.received[0]).toMatchObject({
      to: ["oncall@example.com"],
      subject: `[P3] ${incident.ref}: Disk 85% full`,
    });
    expect(fakes.smtp.received[0]?.html).toContain(`https://vigil.example.com/incidents/${incident.ref}`);
    expect(fakes.sms.received).toEqual([]);
    expect(
      await timelineOf(incident.id, ["notification_failed", "notification_fallback", "notification_sent"]),
    ).toEqual([
      [
        "notification_failed",
        "Slack delivery to #incidents-warnings failed for good after 1 attempt: Slack answered channel_not_found",
      ],
      ["notification_fallback", "Fell back to email (oncall@example.com)"],
      ["notification_sent", "Fallback: Emailed oncall@example.com"],
    ]);
  });

  it("fails a thread reply for good on channel_not_found without falling back (only the first message has one)", async () => {
    const incident = await warningIncident();
    await drainJobs(t);
    const before = fakes.slack.received.length;
    slackAnswers("channel_not_found");
    await acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } });
    await drainJobs(t);

    // The card was updated in place; the thread reply that follows it was refused, once.
    const calls = fakes.slack.received.slice(before);
    expect(calls.map((r) => [r.method, r.failedWith === undefined ? "ok" : "refused"])).toEqual([
      ["chat.update", "ok"],
      ["chat.postMessage", "refused"],
    ]);
    const update = (await deliveries(incident.id)).find((r) => r.channel === "slack" && r.purpose === "update");
    expect(update).toMatchObject({ status: "failed", attempts: 1, lastError: "Slack answered channel_not_found" });
    expect((await deliveries(incident.id)).filter((r) => r.isFallback)).toEqual([]);
    expect(await timelineOf(incident.id, ["notification_failed", "notification_fallback"])).toEqual([
      [
        "notification_failed",
        "Slack delivery to #incidents-warnings failed for good after 1 attempt: Slack answered channel_not_found",
      ],
    ]);
    expect(fakes.smtp.received).toEqual([]);
  });
});

describe("Slack answers ok: false with a transient error", () => {
  it("retries internal_error until Slack takes the card, noting each failure and planning no fallback", async () => {
    slackAnswers("internal_error", 2);
    const incident = await warningIncident();
    await drainJobs(t);

    expect(posts()).toEqual(["refused", "refused", "ok"]);
    const rows = await deliveries(incident.id);
    const [card] = fakes.slack.messagesIn("#incidents-warnings");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      channel: "slack",
      status: "sent",
      attempts: 3,
      lastError: null,
      externalId: card!.ts,
    });
    expect(
      await timelineOf(incident.id, ["notification_failed", "notification_fallback", "notification_sent"]),
    ).toEqual([
      ["notification_failed", "Slack delivery failed, attempt 1 of 5: Slack answered internal_error. Retrying in … s"],
      ["notification_failed", "Slack delivery failed, attempt 2 of 5: Slack answered internal_error. Retrying in … s"],
      ["notification_sent", "Posted to Slack #incidents-warnings"],
    ]);
    expect(fakes.smtp.received).toEqual([]);
  });

  it("retries an HTTP 503 from Slack the same way", async () => {
    fakes.slack.fail({ times: 1, status: 503, only: "chat.postMessage" });
    const incident = await warningIncident();
    await drainJobs(t);

    expect(
      fakes.slack.received.filter((r) => r.method === "chat.postMessage").map((r) => r.failedWith ?? r.status),
    ).toEqual([503, 200]);
    expect((await deliveries(incident.id))[0]).toMatchObject({ channel: "slack", status: "sent", attempts: 2 });
    expect(await timelineOf(incident.id, ["notification_failed"])).toEqual([
      ["notification_failed", "Slack delivery failed, attempt 1 of 5: Slack answered HTTP 503. Retrying in … s"],
    ]);
    expect(fakes.smtp.received).toEqual([]);
  });

  it("fails only when the attempts run out, and then falls back to email", async () => {
    slackAnswers("internal_error", 5);
    const incident = await warningIncident();
    await drainJobs(t);

    expect(posts()).toEqual(["refused", "refused", "refused", "refused", "refused"]);
    const rows = await deliveries(incident.id);
    expect(rows.find((r) => r.channel === "slack")).toMatchObject({
      status: "failed",
      attempts: 5,
      lastError: "Slack answered internal_error",
    });
    expect(rows.filter((r) => r.isFallback).map((r) => [r.channel, r.status])).toEqual([["email", "sent"]]);
    const failures = await timelineOf(incident.id, ["notification_failed"]);
    expect(failures).toHaveLength(5);
    expect(failures.at(-1)).toEqual([
      "notification_failed",
      "Slack delivery to #incidents-warnings failed for good after 5 attempts: Slack answered internal_error",
    ]);
    expect(fakes.smtp.received.map((m) => m.to)).toEqual([["oncall@example.com"]]);
  });
});
