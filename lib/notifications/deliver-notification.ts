// Sends one notification, at most once in effect, whatever happens to the worker:
// - An attempt first claims the row (status `sending`, a lease). A second job for the same row — a retry
//   racing a recovered one — finds the lease and comes back when it ends.
// - A claim that finds `sending` with an expired lease knows the previous attempt died mid-call, and asks
//   the vendor first: PagerDuty dedupes by dedup_key; for Slack we look for the message carrying this
//   notification's id in its metadata and adopt its ts instead of posting again.
// - Transient failures (5xx, 429, network) are retried with growing delays (a 429's Retry-After wins),
//   each written to the timeline; a permanent failure, or running out of attempts, marks the row failed
//   and, for the first message about an incident, falls back to the rule's fallback channels.
import { and, eq, sql } from "drizzle-orm";
import { builtOnce } from "@/db/built-once";
import type { DbOrTx } from "@/db/client";
import { incidents, notifications, timelineEvents, users, type NotificationRow } from "@/db/schema";
import type { Ctx } from "../context";
import { toIncidentDto } from "../incidents/incident-dto";
import { appendTimelineEvent } from "../incidents/incident-store";
import type { Incident } from "../incidents/schemas";
import { DeliveryError } from "../integrations/delivery-error";
import { sendEmail } from "../integrations/email/send-email";
import { sendPagerDutyEvent } from "../integrations/pagerduty/events-api";
import { incidentCard } from "../integrations/slack/incident-card";
import {
  findPostedMessage,
  NOTIFICATION_EVENT_TYPE,
  slackClient,
  slackDeliveryError,
} from "../integrations/slack/web-api";
import { sendSms } from "../integrations/sms/send-sms";
import { enqueueJob } from "../jobs/enqueue";
import type { Logger } from "../observability/logger";
import { incidentEmail, incidentSms, pagerDutyTrigger } from "./messages";
import { DELIVER_JOB } from "./outbound-events";
import { planFallback } from "./plan-notifications";
import type { NotificationSettings } from "./settings";

export type DeliveryOutcome = "sent" | "retrying" | "failed" | "busy" | "done";

/** The message this one depends on (the card to update, the alert to acknowledge) is not out yet. */
class NotReady extends Error {}

const channelName = { pagerduty: "PagerDuty", slack: "Slack", email: "Email", sms: "SMS" } as const;

export interface DeliveryReport {
  outcome: DeliveryOutcome;
  channel?: NotificationRow["channel"];
  /** Seconds from the incident change to the vendor accepting the message (for the latency metric). */
  latencySeconds?: number;
}

export async function deliverNotification(
  db: DbOrTx,
  notificationId: string,
  settings: NotificationSettings,
  log: Logger,
): Promise<DeliveryReport> {
  const now = new Date();
  const claimed = await claimAndLoad(db, notificationId, settings.leaseMs, now);
  if (!claimed) {
    const [row] = await db.select().from(notifications).where(eq(notifications.id, notificationId));
    if (row?.status === "sending" && row.leaseUntil) {
      await enqueueJob(
        db,
        DELIVER_JOB,
        { notification_id: row.id },
        { jobKey: `notification:${row.id}`, runAt: new Date(row.leaseUntil.getTime() + 500) },
      );
      return { outcome: "busy" };
    }
    return { outcome: "done" };
  }
  const { previousStatus, row, event, incident } = claimed;
  const ctx: Ctx = { db, actor: { type: "system", name: "Vigil notifications", role: "admin" }, now };
  const crashed = previousStatus === "sending";

  try {
    const externalId = await send(db, row, incident, event?.kind ?? "created", event?.text ?? "", settings, crashed);
    // As SQL rather than drizzle's update builder, which took far more CPU to build: one per message sent.
    const sentAt = new Date().toISOString();
    const sent = sql`update ${notifications}
                        set status = 'sent', external_id = ${externalId}::text, sent_at = ${sentAt}::timestamptz,
                            lease_until = null, last_error = null, updated_at = ${sentAt}::timestamptz
                      where id = ${row.id}::uuid returning id`;
    if (row.purpose === "update") {
      await db.execute(sent);
    } else {
      // The row and its timeline event in one statement (and so in one transaction).
      const entry = {
        kind: "notification_sent",
        text: sentText(row),
        data: { notification_id: row.id, channel: row.channel, target: shownTarget(row), attempts: row.attempts },
      };
      await appendTimelineEvent(ctx, incident.id, entry, { alongside: { sent } });
    }
    return {
      outcome: "sent",
      channel: row.channel,
      latencySeconds: event ? (Date.now() - event.at.getTime()) / 1000 : undefined,
    };
  } catch (error) {
    if (error instanceof NotReady) {
      // Not an attempt: give it back and look again shortly.
      await db
        .update(notifications)
        .set({ status: "pending", attempts: row.attempts - 1, leaseUntil: null, updatedAt: new Date() })
        .where(eq(notifications.id, row.id));
      await enqueueJob(
        db,
        DELIVER_JOB,
        { notification_id: row.id },
        { jobKey: `notification:${row.id}`, runAt: new Date(Date.now() + 1000) },
      );
      return { outcome: "retrying" };
    }
    const failure =
      error instanceof DeliveryError
        ? error
        : new DeliveryError(`${channelName[row.channel]} delivery failed: ${(error as Error).message}`, false);
    if (!(error instanceof DeliveryError)) log.warn({ err: error, notification: row.id }, "unexpected delivery error");
    return fail(db, ctx, row, incident, failure, settings);
  }
}

/**
 * Takes the row for this attempt (or finds it taken or finished) and reads what the message needs — the
 * row, the event it tells of, the incident with its owner — in one statement. The status the row had
 * before says whether an earlier attempt died.
 */
async function claimAndLoad(db: DbOrTx, id: string, leaseMs: number, now: Date) {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const [found] = await claimAndLoadStatement(db).execute({
    id,
    leaseUntil: leaseUntil.toISOString(),
    now: now.toISOString(),
  });
  if (!found) return null;
  // One statement has one snapshot: the joined row is as it was before the claim, so the claim is applied here.
  const row: NotificationRow = {
    ...found.row,
    status: "sending",
    attempts: Number(found.claim.attempts),
    leaseUntil,
    updatedAt: now,
  };
  return {
    previousStatus: found.claim.previousStatus,
    row,
    event: found.event,
    incident: toIncidentDto(found.incident, found.owner),
  };
}

const claimAndLoadStatement = builtOnce((db) => {
  const claim = db.$with("claim", {
    claimedId: sql<string>`claimed_id`.as("claimed_id"),
    previousStatus: sql<string>`previous_status`.as("previous_status"),
    claimedAttempts: sql<number>`claimed_attempts`.as("claimed_attempts"),
  }).as(sql`
      update ${notifications} n
         set status = 'sending', attempts = n.attempts + 1, lease_until = ${sql.placeholder("leaseUntil")}::timestamptz, updated_at = ${sql.placeholder("now")}::timestamptz
        from (select id, status as previous_status from ${notifications} where id = ${sql.placeholder("id")}::uuid for update) previous
       where n.id = previous.id
         and (n.status = 'pending' or (n.status = 'sending' and n.lease_until < ${sql.placeholder("now")}::timestamptz))
      returning n.id as claimed_id, previous.previous_status::text, n.attempts as claimed_attempts`);
  return db
    .with(claim)
    .select({
      claim: { previousStatus: claim.previousStatus, attempts: claim.claimedAttempts },
      row: notifications,
      event: { kind: timelineEvents.kind, text: timelineEvents.text, at: timelineEvents.at },
      incident: incidents,
      owner: { id: users.id, name: users.name, email: users.email },
    })
    .from(claim)
    .innerJoin(notifications, eq(notifications.id, claim.claimedId))
    .innerJoin(incidents, eq(incidents.id, notifications.incidentId))
    .leftJoin(timelineEvents, eq(timelineEvents.id, notifications.timelineEventId))
    .leftJoin(users, eq(users.id, incidents.ownerId))
    .prepare("claim_and_load_notification");
});

async function send(
  db: DbOrTx,
  row: NotificationRow,
  incident: Incident,
  eventKind: string,
  eventText: string,
  s: NotificationSettings,
  crashed: boolean,
): Promise<string> {
  switch (row.channel) {
    case "pagerduty": {
      // The service the incident was triggered on (its open row's target) gets its acknowledge and resolve.
      const service = row.target.startsWith("env:") ? row.target.slice(4) : null;
      const pagerduty = service ? s.pagerdutyServices?.[service] : s.pagerduty;
      if (!pagerduty)
        throw new DeliveryError(`PagerDuty is not configured (${service ?? "PAGERDUTY_ROUTING_KEY"})`, true);
      if (row.purpose === "update") {
        await requireSent(db, incident.id, "pagerduty", row.target);
        const action = eventKind === "acknowledged" ? "acknowledge" : eventKind === "resolved" ? "resolve" : null;
        // acknowledged and resolved follow; a reopened incident is triggered again under the same key.
        const event = action
          ? ({ event_action: action, dedup_key: incident.id } as const)
          : pagerDutyTrigger(incident, s.appUrl);
        return (await sendPagerDutyEvent(pagerduty, event)).dedupKey;
      }
      return (await sendPagerDutyEvent(pagerduty, pagerDutyTrigger(incident, s.appUrl))).dedupKey;
    }
    case "slack": {
      if (!s.slack) throw new DeliveryError("Slack is not configured (SLACK_BOT_TOKEN)", true);
      const client = slackClient(s.slack);
      const metadata = {
        event_type: NOTIFICATION_EVENT_TYPE,
        event_payload: { notification_id: row.id, incident_id: incident.id },
      };
      try {
        if (row.purpose === "update") {
          const cardTs = await requireSent(db, incident.id, "slack", row.target);
          const card = incidentCard(incident, s.appUrl);
          await client.chat.update({ channel: row.target, ts: cardTs, text: card.text, blocks: card.blocks });
          const earlier = crashed ? await findPostedMessage(client, row.target, row.id, cardTs) : null;
          if (earlier) return earlier;
          const reply = await client.chat.postMessage({
            channel: row.target,
            thread_ts: cardTs,
            text: eventText,
            metadata,
          });
          return String(reply.ts);
        }
        const earlier = crashed ? await findPostedMessage(client, row.target, row.id) : null;
        if (earlier) return earlier;
        const card = incidentCard(incident, s.appUrl);
        const posted = await client.chat.postMessage({
          channel: row.target,
          text: card.text,
          blocks: card.blocks,
          metadata,
        });
        return String(posted.ts);
      } catch (error) {
        if (error instanceof NotReady || error instanceof DeliveryError) throw error;
        throw slackDeliveryError(error);
      }
    }
    case "email": {
      if (!s.email) throw new DeliveryError("Email is not configured (SMTP_URL)", true);
      return (await sendEmail(s.email, incidentEmail(incident, s.appUrl, `<${row.id}@vigil>`, row.target))).messageId;
    }
    case "sms": {
      if (!s.sms) throw new DeliveryError("SMS is not configured (SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM)", true);
      return (await sendSms(s.sms, row.target, incidentSms(incident, s.appUrl))).sid;
    }
  }
}

/** The external id of the incident's first message on this channel and target; waits while it is underway. */
async function requireSent(
  db: DbOrTx,
  incidentId: string,
  channel: NotificationRow["channel"],
  target: string,
): Promise<string> {
  const opens = await db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.incidentId, incidentId),
        eq(notifications.channel, channel),
        eq(notifications.target, target),
        eq(notifications.purpose, "open"),
      ),
    );
  const sent = opens.find((n) => n.status === "sent" && n.externalId);
  if (sent?.externalId) return sent.externalId;
  if (opens.some((n) => n.status === "pending" || n.status === "sending")) throw new NotReady();
  throw new DeliveryError(
    `There is no ${channelName[channel]} message to update: the first one was never delivered`,
    true,
  );
}

async function fail(
  db: DbOrTx,
  ctx: Ctx,
  row: NotificationRow,
  incident: Incident,
  failure: DeliveryError,
  settings: NotificationSettings,
): Promise<DeliveryReport> {
  const name = channelName[row.channel];
  const now = new Date();
  if (!failure.permanent && row.attempts < row.maxAttempts) {
    const delay = failure.retryAfterMs ?? Math.min(settings.retryBaseMs * 2 ** (row.attempts - 1), 5 * 60_000);
    await db
      .update(notifications)
      .set({ status: "pending", lastError: failure.message, leaseUntil: null, updatedAt: now })
      .where(eq(notifications.id, row.id));
    await enqueueJob(
      db,
      DELIVER_JOB,
      { notification_id: row.id },
      { jobKey: `notification:${row.id}`, runAt: new Date(now.getTime() + delay) },
    );
    await appendTimelineEvent(ctx, incident.id, {
      kind: "notification_failed",
      text: `${name} delivery failed, attempt ${row.attempts} of ${row.maxAttempts}: ${failure.message}. Retrying in ${Math.ceil(delay / 1000)} s`,
      data: { notification_id: row.id, channel: row.channel, attempt: row.attempts, error: failure.message },
    });
    return { outcome: "retrying", channel: row.channel };
  }
  await db
    .update(notifications)
    .set({ status: "failed", lastError: failure.message, leaseUntil: null, updatedAt: now })
    .where(eq(notifications.id, row.id));
  await appendTimelineEvent(ctx, incident.id, {
    kind: "notification_failed",
    text: `${name} delivery to ${shownTarget(row)} failed for good after ${row.attempts} attempt${row.attempts === 1 ? "" : "s"}: ${failure.message}`,
    data: { notification_id: row.id, channel: row.channel, attempt: row.attempts, error: failure.message, final: true },
  });
  if (row.purpose === "open") {
    const fallbacks = await planFallback(db, row, settings, now);
    if (fallbacks.length > 0) {
      await appendTimelineEvent(ctx, incident.id, {
        kind: "notification_fallback",
        text: `Fell back to ${fallbacks.map((f) => `${channelName[f.channel].toLowerCase()} (${f.channel === "pagerduty" ? "PagerDuty" : f.target})`).join(" and ")}`,
        data: {
          failed_notification_id: row.id,
          fallbacks: fallbacks.map((f) => ({ channel: f.channel, target: f.target })),
        },
      });
    }
  }
  return { outcome: "failed", channel: row.channel };
}

function sentText(row: NotificationRow): string {
  const prefix = row.isFallback ? "Fallback: " : "";
  switch (row.channel) {
    case "pagerduty":
      return `${prefix}Paged via PagerDuty`;
    case "slack":
      return `${prefix}Posted to Slack ${row.target}`;
    case "email":
      return `${prefix}Emailed ${row.target}`;
    case "sms":
      return `${prefix}Texted ${row.target}`;
  }
}

/** Targets as people may see them: the PagerDuty routing key is a secret and is never shown. */
export const shownTarget = (row: Pick<NotificationRow, "channel" | "target">) =>
  row.channel === "pagerduty" ? "PagerDuty" : row.target;
