// The worker's half of "create ticket": file the action item in the tracker and store its key and URL,
// or the tracker's own error for people to read. Failures a later attempt can get past (5xx, 429, the
// network) are tried again with growing delays, each attempt its own job run at most once.
import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { actionItems, incidents, postmortems, users } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { inTransaction, systemActor, type Ctx } from "../context";
import { appendTimelineEvent } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { DeliveryError } from "../integrations/delivery-error";
import { enqueueJob } from "../jobs/enqueue";
import type { Logger } from "../observability/logger";
import { postmortemUrl, type PostmortemSettings } from "./postmortem-settings";
import { ticketStateOf } from "./postmortem-store";
import { TICKET_JOB } from "./request-ticket";
import { fileTicket } from "./ticket-content";

export interface TicketRetryPolicy {
  maxAttempts: number;
  /** First retry delay; each later one doubles. A 429's Retry-After wins. */
  retryBaseMs: number;
}

export const defaultTicketRetry: TicketRetryPolicy = { maxAttempts: 5, retryBaseMs: 2_000 };

export type TicketOutcome = "created" | "failed" | "retrying" | "skipped";

export async function createActionItemTicket(
  db: DbOrTx,
  actionItemId: string,
  attempt: number,
  settings: PostmortemSettings,
  log: Logger,
  retry = defaultTicketRetry,
): Promise<TicketOutcome> {
  const [found] = await db
    .select({
      item: actionItems,
      postmortemId: postmortems.id,
      incidentId: incidents.id,
      number: incidents.number,
      incidentTitle: incidents.title,
      owner: users.name,
    })
    .from(actionItems)
    .innerJoin(postmortems, eq(postmortems.id, actionItems.postmortemId))
    .innerJoin(incidents, eq(incidents.id, postmortems.incidentId))
    .leftJoin(users, eq(users.id, actionItems.ownerId))
    .where(eq(actionItems.id, actionItemId));
  // Deleted, already filed, or failed for good since this job was queued: nothing to do.
  if (!found || ticketStateOf(found.item) !== "pending") return "skipped";
  const ctx: Ctx = { db, actor: systemActor("Vigil tickets"), now: new Date() };
  const tracker = settings.tracker;
  const ref = formatIncidentRef(found.number);

  let failure: DeliveryError;
  try {
    if (!tracker || tracker.kind !== found.item.tracker)
      throw new DeliveryError(`The ${found.item.tracker} tracker is no longer configured`, true);
    const ticket = await fileTicket(tracker, {
      title: found.item.title,
      incidentRef: ref,
      incidentTitle: found.incidentTitle,
      postmortemUrl: postmortemUrl(settings, found.postmortemId),
      owner: found.owner,
      dueDate: found.item.dueDate,
    });
    await inTransaction(ctx, async (txCtx) => {
      await txCtx.db
        .update(actionItems)
        .set({ externalKey: ticket.key, externalUrl: ticket.url, lastError: null, updatedAt: ctx.now })
        .where(and(eq(actionItems.id, actionItemId), isNull(actionItems.externalKey)));
      await appendTimelineEvent(txCtx, found.incidentId, {
        kind: "ticket_created",
        text: `Ticket ${ticket.key} created for the action item "${found.item.title}": ${ticket.url}`,
        data: { action_item_id: actionItemId, tracker: tracker.kind, key: ticket.key, url: ticket.url },
      });
      await recordAudit(txCtx, {
        action: "action_item.ticket_created",
        resourceType: "action_item",
        resourceId: actionItemId,
        details: { tracker: tracker.kind, key: ticket.key, attempt },
      });
    });
    return "created";
  } catch (error) {
    if (!(error instanceof DeliveryError)) log.warn({ err: error, actionItemId }, "unexpected ticket error");
    failure =
      error instanceof DeliveryError
        ? error
        : new DeliveryError(`Creating the ticket failed: ${(error as Error).message}`, false);
  }

  if (!failure.permanent && attempt < retry.maxAttempts) {
    const delay = failure.retryAfterMs ?? Math.min(retry.retryBaseMs * 2 ** (attempt - 1), 5 * 60_000);
    await inTransaction(ctx, async (txCtx) => {
      // Still pending, and recently so: a person asking again now is told it is underway.
      await txCtx.db.update(actionItems).set({ updatedAt: ctx.now }).where(eq(actionItems.id, actionItemId));
      await enqueueJob(
        txCtx.db,
        TICKET_JOB,
        { action_item_id: actionItemId, attempt: attempt + 1 },
        { jobKey: `ticket:${actionItemId}`, maxAttempts: 1, runAt: new Date(ctx.now.getTime() + delay) },
      );
    });
    log.info({ actionItemId, attempt, delayMs: delay, error: failure.message }, "ticket creation will be retried");
    return "retrying";
  }
  await inTransaction(ctx, async (txCtx) => {
    await txCtx.db
      .update(actionItems)
      .set({ lastError: failure.message, updatedAt: ctx.now })
      .where(eq(actionItems.id, actionItemId));
    await appendTimelineEvent(txCtx, found.incidentId, {
      kind: "ticket_failed",
      text: `Could not create a ticket for the action item "${found.item.title}": ${failure.message}`,
      data: { action_item_id: actionItemId, error: failure.message, attempt },
    });
    await recordAudit(txCtx, {
      action: "action_item.ticket_failed",
      resourceType: "action_item",
      resourceId: actionItemId,
      details: { error: failure.message, attempt },
    });
  });
  return "failed";
}
