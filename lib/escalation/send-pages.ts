// Sends a recipient's due pages through one method, at most once in effect:
// - The attempt claims every due pending page of the recipient (status `sending`, a lease) in one
//   statement; a second job for the same recipient finds them taken. An attempt that died mid-send leaves
//   its lease to run out, and the next attempt sends again: the one at-least-once case (docs/oncall.md).
// - One message per address carries all the claimed incidents (bundling), each with its own ack link.
// - A passing failure (5xx, 429, network) puts the pages back with a later due time; a permanent one, a
//   channel without settings, or the last attempt marks them failed. Every outcome is on the timeline.
import { and, eq, inArray, lt, lte, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { incidents, pages, schedules, users, type PageRow } from "@/db/schema";
import { inTransaction, systemActor, type Ctx } from "../context";
import { appendTimelineEvents } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { DeliveryError } from "../integrations/delivery-error";
import { sendEmail } from "../integrations/email/send-email";
import { slackClient, slackDeliveryError } from "../integrations/slack/web-api";
import { placeCall } from "../integrations/sms/place-call";
import { sendSms } from "../integrations/sms/send-sms";
import type { Logger } from "../observability/logger";
import type { NotificationSettings } from "../notifications/settings";
import { issueAckLinks } from "./ack-links";
import { pageEmail, pageSlack, pageSms, pageVoice, type PagedIncident } from "./page-messages";
import { ENGINE_ACTOR } from "./run-step";
import { recipientPages, scheduleSend, type Recipient } from "./schedule-send";
import { methodName } from "./write-pages";

export interface SendReport {
  sent: number;
  retrying: number;
  failed: number;
}

export async function sendDuePages(
  db: DbOrTx,
  recipient: Recipient,
  settings: NotificationSettings,
  log: Logger,
): Promise<SendReport> {
  const now = new Date();
  const report: SendReport = { sent: 0, retrying: 0, failed: 0 };
  const notOpen = db.select({ id: incidents.id }).from(incidents).where(ne(incidents.status, "open"));
  // Pages of incidents acknowledged since: the stop job cancels them too, this closes the gap before it runs.
  // A dead attempt's page (lease run out) of such an incident is cancelled too, or it would be due forever.
  await db
    .update(pages)
    .set({ status: "cancelled", leaseUntil: null })
    .where(
      and(
        recipientPages(recipient),
        or(eq(pages.status, "pending"), and(eq(pages.status, "sending"), lt(pages.leaseUntil, now))),
        inArray(pages.incidentId, notOpen),
      ),
    );
  const claimed = await db
    .update(pages)
    .set({
      status: "sending",
      attempts: sql`${pages.attempts} + 1`,
      leaseUntil: new Date(now.getTime() + settings.leaseMs),
    })
    .where(
      and(
        recipientPages(recipient),
        or(
          and(eq(pages.status, "pending"), lte(pages.dueAt, now)),
          and(eq(pages.status, "sending"), lt(pages.leaseUntil, now)),
        ),
        sql`${pages.incidentId} not in (${notOpen})`,
      ),
    )
    .returning();
  const byAddress = new Map<string, PageRow[]>();
  for (const page of claimed) byAddress.set(page.address, [...(byAddress.get(page.address) ?? []), page]);
  for (const group of byAddress.values()) {
    const outcome = await sendGroup(db, recipient, group, settings, now, log);
    report[outcome] += group.length;
  }
  await inTransaction({ db, actor: systemActor(ENGINE_ACTOR), now }, (tx) => scheduleSend(tx.db, recipient));
  return report;
}

async function sendGroup(
  db: DbOrTx,
  recipient: Recipient,
  group: PageRow[],
  settings: NotificationSettings,
  now: Date,
  log: Logger,
): Promise<keyof SendReport> {
  const ctx: Ctx = { db, actor: systemActor(ENGINE_ACTOR), now };
  const facts = await pageFacts(db, group);
  const carriers = new Map<string, PageRow>(); // the first page of each incident
  for (const page of group) if (!carriers.has(page.incidentId)) carriers.set(page.incidentId, page);
  const paged: PagedIncident[] = [];
  const attempts = Math.max(...group.map((p) => p.attempts));
  try {
    // Links only for a person's pages: a Slack DM has its button, and a channel post has nobody to name.
    const linked = recipient.userId && group[0]!.method !== "slack" ? [...carriers.values()] : [];
    const links = await issueAckLinks(
      db,
      linked.map((page) => ({
        incidentId: page.incidentId,
        userId: recipient.userId!,
        pageId: page.id,
        method: page.method,
        address: page.address,
      })),
      { now, appUrl: settings.appUrl },
    );
    const linkOf = new Map(linked.map((page, i) => [page.incidentId, links[i]!]));
    for (const [incidentId, page] of carriers) {
      const incident = facts.incidents.get(incidentId)!;
      const link = linkOf.get(incidentId);
      paged.push({
        ...incident,
        url: `${settings.appUrl}/incidents/${incident.ref}`,
        ackUrl: page.method === "voice" ? link?.voiceActionUrl : link?.url,
      });
    }
    const externalId = await deliver(group[0]!, paged, settings);
    const carrier = group[0]!;
    await inTransaction(ctx, async (tx) => {
      await tx.db
        .update(pages)
        .set({
          status: "sent",
          sentAt: new Date(),
          externalId,
          leaseUntil: null,
          lastError: null,
          bundledIntoId: sql`case when ${pages.id} = ${carrier.id} then null else ${carrier.id}::uuid end`,
        })
        .where(
          inArray(
            pages.id,
            group.map((p) => p.id),
          ),
        );
      await appendTimelineEvents(
        tx,
        [...carriers].map(([incidentId, page]) => {
          const others = paged.filter((p) => p.id !== incidentId).map((p) => p.ref);
          return {
            incidentId,
            entry: {
              kind: "page_sent",
              text: `${pagedWhom(page, facts)}${others.length ? ` (in one message with ${others.join(", ")})` : ""}`,
              data: { page_id: page.id, method: page.method, step: page.step, pass: page.pass, bundled_with: others },
            },
          };
        }),
      );
    });
    return "sent";
  } catch (error) {
    const failure =
      error instanceof DeliveryError
        ? error
        : new DeliveryError(`${methodName[group[0]!.method]} page failed: ${(error as Error).message}`, false);
    if (!(error instanceof DeliveryError)) log.warn({ err: error }, "unexpected page delivery error");
    return fail(ctx, group, carriers, facts, failure, attempts, settings);
  }
}

async function deliver(page: PageRow, paged: PagedIncident[], s: NotificationSettings): Promise<string> {
  switch (page.method) {
    case "email":
      if (!s.email) throw new DeliveryError("email is not configured (SMTP_URL)", true);
      return (await sendEmail(s.email, pageEmail(paged, page.address, `<page-${page.id}@vigil>`))).messageId;
    case "sms":
      if (!s.sms) throw new DeliveryError("SMS is not configured (SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM)", true);
      {
        // An over-long bundle goes as several messages at once; the page records their sids.
        const sids: string[] = [];
        for (const text of pageSms(paged)) sids.push((await sendSms(s.sms, page.address, text)).sid);
        return sids.join(",");
      }
    case "voice":
      if (!s.sms) throw new DeliveryError("voice is not configured (SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM)", true);
      return (await placeCall(s.sms, page.address, pageVoice(paged))).sid;
    case "slack": {
      if (!s.slack) throw new DeliveryError("Slack is not configured (SLACK_BOT_TOKEN)", true);
      const message = pageSlack(paged);
      try {
        // A user id as the channel: Slack opens the bot's direct message with that person.
        const posted = await slackClient(s.slack).chat.postMessage({
          channel: page.address,
          text: message.text,
          blocks: message.blocks as never,
        });
        return String(posted.ts);
      } catch (error) {
        throw slackDeliveryError(error);
      }
    }
  }
}

async function fail(
  ctx: Ctx,
  group: PageRow[],
  carriers: Map<string, PageRow>,
  facts: PageFacts,
  failure: DeliveryError,
  attempts: number,
  settings: NotificationSettings,
): Promise<keyof SendReport> {
  const retry = !failure.permanent && attempts < settings.maxAttempts;
  const delay = failure.retryAfterMs ?? Math.min(settings.retryBaseMs * 2 ** (attempts - 1), 5 * 60_000);
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .update(pages)
      .set(
        retry
          ? {
              status: "pending",
              dueAt: new Date(ctx.now.getTime() + delay),
              leaseUntil: null,
              lastError: failure.message,
            }
          : { status: "failed", leaseUntil: null, lastError: failure.message },
      )
      .where(
        inArray(
          pages.id,
          group.map((p) => p.id),
        ),
      );
    await appendTimelineEvents(
      tx,
      [...carriers].map(([incidentId, page]) => ({
        incidentId,
        entry: {
          kind: "page_failed",
          text: retry
            ? `${pageLabel(page, facts)} failed, attempt ${attempts} of ${settings.maxAttempts}: ${failure.message}. Retrying in ${Math.ceil(delay / 1000)} s`
            : `${pageLabel(page, facts)} failed for good after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${failure.message}`,
          data: { page_id: page.id, method: page.method, attempt: attempts, error: failure.message, final: !retry },
        },
      })),
    );
  });
  return retry ? "retrying" : "failed";
}

type PageFacts = Awaited<ReturnType<typeof pageFacts>>;

/** The incidents, person and schedules the pages name, for the messages and the timeline. */
async function pageFacts(db: DbOrTx, group: PageRow[]) {
  const incidentIds = [...new Set(group.map((p) => p.incidentId))];
  const scheduleIds = [...new Set(group.flatMap((p) => (p.scheduleId ? [p.scheduleId] : [])))];
  const userId = group[0]!.userId;
  const [rows, scheduleRows, person] = await Promise.all([
    db.select().from(incidents).where(inArray(incidents.id, incidentIds)),
    scheduleIds.length
      ? db.select({ id: schedules.id, name: schedules.name }).from(schedules).where(inArray(schedules.id, scheduleIds))
      : [],
    userId ? db.select({ name: users.name }).from(users).where(eq(users.id, userId)) : [],
  ]);
  const severityOrder = ["P0", "P1", "P2", "P3", "P4"];
  rows.sort((a, b) => severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity) || a.number - b.number);
  return {
    incidents: new Map(
      rows.map((r) => [
        r.id,
        { id: r.id, ref: formatIncidentRef(r.number), severity: r.severity, title: r.title, service: r.service },
      ]),
    ),
    schedules: new Map(scheduleRows.map((s) => [s.id, s.name])),
    personName: person[0]?.name ?? "a removed user",
  };
}

/** "(step 1, primary on-call)". */
function stepNote(page: PageRow, facts: PageFacts): string {
  const schedule = page.scheduleId ? facts.schedules.get(page.scheduleId) : undefined;
  return `(step ${page.step + 1}${page.pass > 0 ? `, repeat ${page.pass}` : ""}${schedule ? `, ${schedule}` : ""})`;
}

/** "Paged Bob Responder by SMS (step 1, primary on-call)" or "Posted the page to Slack #ops (step 1)". */
const pagedWhom = (page: PageRow, facts: PageFacts) =>
  page.userId
    ? `Paged ${facts.personName} by ${methodName[page.method]} ${stepNote(page, facts)}`
    : `Posted the page to Slack ${page.address} ${stepNote(page, facts)}`;

const pageLabel = (page: PageRow, facts: PageFacts) =>
  page.userId
    ? `Paging ${facts.personName} by ${methodName[page.method]} ${stepNote(page, facts)}`
    : `Posting the page to Slack ${page.address} ${stepNote(page, facts)}`;
