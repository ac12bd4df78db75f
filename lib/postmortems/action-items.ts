// Action items: the follow-ups a postmortem commits to, as rows (title, owner, due date, status) rather
// than prose, so they can be counted, chased when overdue and turned into tickets. They stay editable
// after publication: following them up is what happens after a postmortem is published.
import { eq } from "drizzle-orm";
import { actionItems } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { resolveUserReference } from "../incidents/incident-store";
import { parseInput } from "../input";
import { inTransaction } from "../context";
import type { PostmortemVerbArgs } from "./postmortem-settings";
import { findActionItem, findPostmortem, loadActionItem } from "./postmortem-store";
import { zonedToday } from "./postmortem-time";
import { ActionItemRefInput, CreateActionItemInput, UpdateActionItemInput, type ActionItem } from "./schemas";

export async function createActionItem({
  ctx,
  input,
  settings,
}: PostmortemVerbArgs<CreateActionItemInput>): Promise<ActionItem> {
  authorize(ctx.actor, "postmortem.edit");
  const data = parseInput(CreateActionItemInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const postmortem = await findPostmortem(txCtx.db, data.id);
    const owner = data.owner ? await resolveUserReference(txCtx.db, data.owner) : null;
    const [row] = await txCtx.db
      .insert(actionItems)
      .values({
        postmortemId: postmortem.id,
        title: data.title,
        ownerId: owner?.id ?? null,
        dueDate: data.due_date ?? null,
        status: data.status,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    if (!row) throw new Error("insert returned no action item");
    await recordAudit(txCtx, {
      action: "action_item.create",
      resourceType: "action_item",
      resourceId: row.id,
      details: { postmortem_id: postmortem.id, title: row.title },
    });
    return loadActionItem(txCtx.db, row, zonedToday(ctx.now, settings.timeZone));
  });
}

export async function updateActionItem({
  ctx,
  input,
  settings,
}: PostmortemVerbArgs<UpdateActionItemInput>): Promise<ActionItem> {
  authorize(ctx.actor, "postmortem.edit");
  const data = parseInput(UpdateActionItemInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const row = await findActionItem(txCtx.db, data.id, data.item_id, { lock: true });
    // owner: undefined leaves it, null clears it, an id or email sets it.
    const ownerId =
      data.owner === undefined
        ? undefined
        : data.owner === null
          ? null
          : (await resolveUserReference(txCtx.db, data.owner)).id;
    const changes = {
      ...(data.title !== undefined ? { title: data.title } : {}),
      ...(ownerId !== undefined ? { ownerId } : {}),
      ...(data.due_date !== undefined ? { dueDate: data.due_date } : {}),
      ...(data.status !== undefined ? { status: data.status } : {}),
    };
    const [updated] = await txCtx.db
      .update(actionItems)
      .set({ ...changes, updatedAt: ctx.now })
      .where(eq(actionItems.id, row.id))
      .returning();
    if (!updated) throw new Error(`action item ${row.id} vanished while locked`);
    await recordAudit(txCtx, {
      action: "action_item.update",
      resourceType: "action_item",
      resourceId: row.id,
      details: { postmortem_id: row.postmortemId, changes },
    });
    return loadActionItem(txCtx.db, updated, zonedToday(ctx.now, settings.timeZone));
  });
}

/** Deleting an item leaves any ticket made from it in its tracker: that is the tracker's to close. */
export async function deleteActionItem({ ctx, input }: PostmortemVerbArgs<ActionItemRefInput>): Promise<void> {
  authorize(ctx.actor, "postmortem.edit");
  const data = parseInput(ActionItemRefInput, input);
  await inTransaction(ctx, async (txCtx) => {
    const row = await findActionItem(txCtx.db, data.id, data.item_id, { lock: true });
    await txCtx.db.delete(actionItems).where(eq(actionItems.id, row.id));
    await recordAudit(txCtx, {
      action: "action_item.delete",
      resourceType: "action_item",
      resourceId: row.id,
      details: { postmortem_id: row.postmortemId, title: row.title, ticket: row.externalKey },
    });
  });
}
