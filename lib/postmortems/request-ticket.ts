// "Create ticket" on an action item: the request only records the wish and queues the job (no outbound
// call inside a request); the worker files the ticket and stores its key and URL, or the tracker's own
// error. The item shows pending until then. One ticket per item: a repeat while it is pending, or once
// it has a ticket, is refused.
import { eq } from "drizzle-orm";
import { actionItems } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { AppError, conflict } from "../errors";
import { enqueueJob } from "../jobs/enqueue";
import { parseInput } from "../input";
import { inTransaction } from "../context";
import type { PostmortemVerbArgs } from "./postmortem-settings";
import { findActionItem, loadActionItem, ticketStateOf } from "./postmortem-store";
import { zonedToday } from "./postmortem-time";
import { ActionItemRefInput, type ActionItem } from "./schemas";

export const TICKET_JOB = "ticket.create";

/**
 * A pending request older than this is taken to have died with its worker (the job runs at most once, so
 * it is never retried by itself): asking again is then allowed. Longer than every attempt can take.
 */
export const PENDING_TICKET_STALE_MS = 5 * 60_000;

export async function requestActionItemTicket({
  ctx,
  input,
  settings,
}: PostmortemVerbArgs<ActionItemRefInput>): Promise<ActionItem> {
  authorize(ctx.actor, "postmortem.edit");
  const data = parseInput(ActionItemRefInput, input);
  const tracker = settings.tracker;
  if (!tracker) {
    throw new AppError(
      "unavailable",
      "No ticket tracker is configured: set JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN and JIRA_PROJECT, or GITHUB_TOKEN and GITHUB_REPO",
    );
  }
  return inTransaction(ctx, async (txCtx) => {
    const row = await findActionItem(txCtx.db, data.id, data.item_id, { lock: true });
    const state = ticketStateOf(row);
    if (state === "created") throw conflict(`This action item already has a ticket: ${row.externalKey}`);
    if (state === "pending" && ctx.now.getTime() - row.updatedAt.getTime() < PENDING_TICKET_STALE_MS)
      throw conflict("A ticket for this action item is being created");
    const [pending] = await txCtx.db
      .update(actionItems)
      .set({ tracker: tracker.kind, lastError: null, updatedAt: ctx.now })
      .where(eq(actionItems.id, row.id))
      .returning();
    if (!pending) throw new Error(`action item ${row.id} vanished while locked`);
    // maxAttempts 1: graphile-worker never reruns it (a rerun after a crash mid-call could file a second
    // ticket); the job schedules its own retries for failures that are worth one.
    await enqueueJob(
      txCtx.db,
      TICKET_JOB,
      { action_item_id: row.id, attempt: 1 },
      { jobKey: `ticket:${row.id}`, maxAttempts: 1 },
    );
    await recordAudit(txCtx, {
      action: "action_item.request_ticket",
      resourceType: "action_item",
      resourceId: row.id,
      details: { postmortem_id: row.postmortemId, tracker: tracker.kind },
    });
    return loadActionItem(txCtx.db, pending, zonedToday(ctx.now, settings.timeZone));
  });
}
