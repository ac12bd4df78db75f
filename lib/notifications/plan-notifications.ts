// The timeline is the outbox: every event that people outside Vigil should hear about enqueues
// `notify.plan` in the transaction that wrote it. Planning decides which messages that event causes and
// writes one `notifications` row per message (unique per event, channel, target and purpose, so a
// repeated plan adds nothing), each with its own `notify.deliver` job.
import { asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { notifications, type NotificationRow } from "@/db/schema";
import { loadIncident, readEventLockingIncident } from "../incidents/incident-store";
import type { Incident } from "../incidents/schemas";
import { enqueueIncidentChannel } from "../slack-bot/incident-channel";
import { DELIVER_JOB, outboundEventKinds } from "./outbound-events";
import { routeIncident, type Channel } from "./route-incident";
import type { NotificationSettings } from "./settings";

/** Events after which the routing is looked at again: a new incident, or one that became more severe. */
const routedKinds = new Set(["created", "reopened", "severity_changed", "updated"]);
/** PagerDuty hears about these; the others stay between Vigil and Slack. */
const pagerDutyKinds = new Set(["acknowledged", "resolved", "reopened"]);

export type Purpose = "open" | "update" | "fallback";

interface Planned {
  purpose: Purpose;
  channel: Channel;
  target: string;
  rule: string | null;
  isFallback: boolean;
}

export async function planNotifications(db: DbOrTx, eventId: number, settings: NotificationSettings, now: Date): Promise<number> {
  // One plan per incident at a time (the lock lasts until the caller's transaction ends): two workers
  // planning an incident's first events at once would each find no first message yet, and both send one.
  const event = await readEventLockingIncident(db, eventId, 7446113);
  if (!event || !outboundEventKinds.has(event.kind)) return 0;
  const incident = await loadIncident(db, event.incidentId);
  const existing = await db.select().from(notifications).where(eq(notifications.incidentId, incident.id)).orderBy(asc(notifications.createdAt));
  const live = (n: Pick<NotificationRow, "status">) => n.status !== "failed";
  const planned: Planned[] = [];

  if (routedKinds.has(event.kind)) {
    for (const d of routeIncident(settings.routing, incident, settings.channels).notify) {
      const alreadyOpen = existing.some((n) => n.purpose === "open" && n.channel === d.channel && n.target === d.target && live(n));
      if (!alreadyOpen) planned.push({ purpose: "open", channel: d.channel, target: d.target, rule: d.rule, isFallback: false });
    }
  }
  // A P0/P1 incident's own Slack channel: created once, its card then kept up to date like the others.
  if (routedKinds.has(event.kind) && settings.incidentChannels) await enqueueIncidentChannel(db, incident, eventId);
  const opened = existing.filter((n) => n.purpose === "open" && live(n));
  // A change PagerDuty itself told us about is not echoed back to it.
  const fromPagerDuty = event.actorType === "webhook" && event.actorId === "pagerduty";
  if (pagerDutyKinds.has(event.kind) && !fromPagerDuty) {
    for (const open of opened.filter((n) => n.channel === "pagerduty")) planned.push({ purpose: "update", channel: "pagerduty", target: open.target, rule: open.rule, isFallback: false });
  }
  if (event.kind !== "created") {
    for (const open of opened.filter((n) => n.channel === "slack")) planned.push({ purpose: "update", channel: "slack", target: open.target, rule: open.rule, isFallback: false });
  }
  return insertAndEnqueue(db, incident, eventId, planned, settings, now);
}

/** After a message failed for good: its rule's fallback channels, once per incident event. */
export async function planFallback(db: DbOrTx, failed: NotificationRow, settings: NotificationSettings, now: Date): Promise<Planned[]> {
  const incident = await loadIncident(db, failed.incidentId);
  const planned: Planned[] = routeIncident(settings.routing, incident, settings.channels).fallback.map((d) => ({
    purpose: "fallback",
    channel: d.channel,
    target: d.target,
    rule: d.rule,
    isFallback: true,
  }));
  await insertAndEnqueue(db, incident, failed.timelineEventId, planned, settings, now);
  return planned;
}

async function insertAndEnqueue(db: DbOrTx, incident: Incident, eventId: number, planned: Planned[], settings: NotificationSettings, now: Date): Promise<number> {
  if (planned.length === 0) return 0;
  const insert = db
    .insert(notifications)
    .values(planned.map((p) => ({ ...p, incidentId: incident.id, timelineEventId: eventId, maxAttempts: settings.maxAttempts, createdAt: now, updatedAt: now })))
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  // Each new row and its deliver job in one statement (same transaction, one round trip).
  const rows = await db.execute<{ id: string }>(sql`
    with added as (${insert.getSQL()})
    select added.id, graphile_worker.add_job(identifier => ${DELIVER_JOB}::text, payload => json_build_object('notification_id', added.id), job_key => 'notification:' || added.id) from added`);
  return rows.length;
}
