// The timeline is the outbox: every event that people outside Vigil should hear about enqueues
// `notify.plan` in the transaction that wrote it. Planning decides which messages that event causes and
// writes one `notifications` row per message (unique per event, channel, target and purpose, so a
// repeated plan adds nothing), each with its own `notify.deliver` job. A new incident's first messages
// are the exception, planned by the transaction that opens it: they are most of the traffic, and the
// first page should not wait for a job. While a maintenance window or snooze mutes an incident, nothing
// new pages (`messagesFor` is the one gate); the window's end job pages what it held back.
import { asc, eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { notifications, type NotificationRow } from "@/db/schema";
import { loadIncident, readEventLockingIncident } from "../incidents/incident-store";
import type { Incident } from "../incidents/schemas";
import { addJobsSql, jobSpec } from "../jobs/job-specs";
import { mutableIncident, mutingWindows, recordMuted } from "../maintenance/muting";
import { enqueueIncidentChannel, incidentChannelJob, wantsIncidentChannel } from "../slack-bot/incident-channel";
import { DELIVER_JOB, outboundEventKinds } from "./outbound-events";
import { routeIncident, type Channel } from "./route-incident";
import type { NotificationSettings } from "./settings";
import { advisoryLocks } from "@/db/advisory-locks";

/**
 * Events after which the routing is looked at again: a new incident, or one that became more severe, or
 * one whose maintenance window ended while it was still unresolved (`unmuted`).
 */
const routedKinds = new Set(["created", "reopened", "severity_changed", "updated", "unmuted"]);
/** PagerDuty hears about these; the others stay between Vigil and Slack. */
const pagerDutyKinds = new Set(["acknowledged", "resolved", "reopened"]);

export type Purpose = "open" | "update" | "fallback";

export interface Planned {
  purpose: Purpose;
  channel: Channel;
  target: string;
  rule: string | null;
  isFallback: boolean;
}

export async function planNotifications(
  db: DbOrTx,
  eventId: number,
  settings: NotificationSettings,
  now: Date,
): Promise<number> {
  // One plan per incident at a time (the lock lasts until the caller's transaction ends): two workers
  // planning an incident's first events at once would each find no first message yet, and both send one.
  const event = await readEventLockingIncident(db, eventId, advisoryLocks.notificationPlan);
  if (!event || !outboundEventKinds.has(event.kind)) return 0;
  const incident = await loadIncident(db, event.incidentId);
  const existing = await db
    .select()
    .from(notifications)
    .where(eq(notifications.incidentId, incident.id))
    .orderBy(asc(notifications.createdAt));
  const muting = routedKinds.has(event.kind) ? await mutingWindows(db, mutableIncident(incident), now) : [];
  await recordMuted(db, incident.id, muting, now);
  const muted = muting.length > 0;
  // A P0/P1 incident's own Slack channel: created once, its card then kept up to date like the others.
  if (routedKinds.has(event.kind) && settings.incidentChannels && !muted)
    await enqueueIncidentChannel(db, incident, eventId);
  // A change PagerDuty itself told us about is not echoed back to it.
  const fromPagerDuty = event.actorType === "webhook" && event.actorId === "pagerduty";
  return addNotifications(
    db,
    incident,
    eventId,
    messagesFor({ kind: event.kind, fromPagerDuty, muted }, incident, existing, settings),
    settings,
    now,
  );
}

/**
 * A new incident's first messages, planned by the transaction that opens it rather than by a
 * `notify.plan` job: for `appendTimelineEvent`'s `alongside` and `jobs`, the statements that write the
 * rows of its `created` event and their deliver jobs (and the incident channel's job). There is nothing to lock or
 * read first: no one else can see the incident yet. `muted`: a maintenance window holds it (`mutingWindows`;
 * the caller records it with `recordMuted`).
 */
export function planOpeningAlongside(
  incident: Incident,
  settings: NotificationSettings,
  now: Date,
  muted = false,
): { alongside: Record<string, SQL>; jobs: SQL[] } {
  const planned = messagesFor({ kind: "created", fromPagerDuty: false, muted }, incident, [], settings);
  const alongside: Record<string, SQL> = {};
  const jobs: SQL[] = [];
  if (planned.length > 0) {
    alongside.opening_messages = messageRows(incident, sql`(select id from event)`, planned, settings, now);
    jobs.push(deliverJobSpecs(sql.identifier("opening_messages")));
  }
  if (settings.incidentChannels && wantsIncidentChannel(incident) && !muted) {
    jobs.push(sql`select ${incidentChannelJob(sql`event.incident_id`, sql`event.id`)} as spec from event`);
  }
  return { alongside, jobs };
}

/**
 * Which messages an event causes, given the incident's messages so far. Pure. The maintenance gate: a
 * muted incident gets no new page (no open message, no PagerDuty re-trigger on reopen); updates to
 * messages already sent (a Slack card, PagerDuty's acknowledge and resolve) still go out.
 */
function messagesFor(
  event: { kind: string; fromPagerDuty: boolean; muted: boolean },
  incident: Incident,
  existing: NotificationRow[],
  settings: NotificationSettings,
): Planned[] {
  const live = (n: Pick<NotificationRow, "status">) => n.status !== "failed";
  const planned: Planned[] = [];
  if (routedKinds.has(event.kind) && !event.muted) {
    for (const d of routeIncident(settings.routing, incident, settings.channels).notify) {
      const alreadyOpen = existing.some(
        (n) => n.purpose === "open" && n.channel === d.channel && n.target === d.target && live(n),
      );
      if (!alreadyOpen)
        planned.push({ purpose: "open", channel: d.channel, target: d.target, rule: d.rule, isFallback: false });
    }
  }
  const opened = existing.filter((n) => n.purpose === "open" && live(n));
  if (pagerDutyKinds.has(event.kind) && !event.fromPagerDuty && !(event.muted && event.kind === "reopened")) {
    for (const open of opened.filter((n) => n.channel === "pagerduty"))
      planned.push({
        purpose: "update",
        channel: "pagerduty",
        target: open.target,
        rule: open.rule,
        isFallback: false,
      });
  }
  if (event.kind !== "created") {
    for (const open of opened.filter((n) => n.channel === "slack"))
      planned.push({ purpose: "update", channel: "slack", target: open.target, rule: open.rule, isFallback: false });
  }
  return planned;
}

/** After a message failed for good: its rule's fallback channels, once per incident event. */
export async function planFallback(
  db: DbOrTx,
  failed: NotificationRow,
  settings: NotificationSettings,
  now: Date,
): Promise<Planned[]> {
  const incident = await loadIncident(db, failed.incidentId);
  const planned: Planned[] = routeIncident(settings.routing, incident, settings.channels).fallback.map((d) => ({
    purpose: "fallback",
    channel: d.channel,
    target: d.target,
    rule: d.rule,
    isFallback: true,
  }));
  await addNotifications(db, incident, failed.timelineEventId, planned, settings, now);
  return planned;
}

/**
 * The one writer of notification rows (the lint rule `vigil/one-writer` keeps it so): adds these messages
 * about an event, and each new row's deliver job, in one statement. A repeat adds nothing.
 */
export async function addNotifications(
  db: DbOrTx,
  incident: Pick<Incident, "id">,
  eventId: number,
  planned: Planned[],
  settings: Pick<NotificationSettings, "maxAttempts">,
  now: Date,
): Promise<number> {
  if (planned.length === 0) return 0;
  // Each new row and its deliver job in one statement (same transaction, one round trip).
  const rows = await db.execute(
    sql`with added as (${messageRows(incident, eventId, planned, settings, now)})
        ${addJobsSql([deliverJobSpecs(sql.identifier("added"))])}`,
  );
  return rows.length;
}

/**
 * The messages' rows; a repeated plan adds nothing (unique per event, channel, target and purpose). As SQL
 * rather than drizzle's insert builder, which took several times the CPU to build: a new incident's first
 * page is planned in its ingestion statement.
 */
const messageRows = (
  incident: Pick<Incident, "id">,
  eventId: number | SQL,
  planned: Planned[],
  settings: Pick<NotificationSettings, "maxAttempts">,
  now: Date,
): SQL => {
  const at = now.toISOString();
  const event = typeof eventId === "number" ? sql`${eventId}::bigint` : eventId;
  const rows = planned.map(
    (p) =>
      sql`(${incident.id}::uuid, ${event}, ${p.purpose}::text, ${p.channel}::notification_channel, ${p.target}::text,
           ${p.rule}::text, ${p.isFallback}::boolean, ${settings.maxAttempts}::int, ${at}::timestamptz, ${at}::timestamptz)`,
  );
  return sql`insert into ${notifications} (incident_id, timeline_event_id, purpose, channel, target, rule, is_fallback,
                                           max_attempts, created_at, updated_at)
             values ${sql.join(rows, sql`, `)}
             on conflict do nothing
             returning id`;
};

/** A deliver job spec (lib/jobs/job-specs.ts) for each row a `messageRows` statement added, read from its CTE. */
const deliverJobSpecs = (added: SQLWrapper) =>
  sql`select ${jobSpec({
    identifier: DELIVER_JOB,
    payload: sql`json_build_object('notification_id', ${added}.id)`,
    jobKey: sql`'notification:' || ${added}.id`,
  })} as spec from ${added}`;
