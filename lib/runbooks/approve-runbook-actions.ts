// An admin approves the actions of a runbook synced from a Runbook custom resource. Whoever may write the
// resource in Kubernetes could write actions; they act only once an admin here has read them. The approval
// holds for those actions (their digest): a later change to the words keeps it, a change to the actions
// (or the alerts they apply to) needs a new one.
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { describeActor, inTransaction, type VerbArgs } from "../context";
import { conflict } from "../errors";
import { parseInput } from "../input";
import { actionsDigest } from "./remediation-part";
import { findRunbook, recordActionsApproval, toRunbookDetail } from "./runbook-store";
import { ApproveRunbookActionsInput, type RunbookChange } from "./schemas";

export async function approveRunbookActions({
  ctx,
  input,
}: VerbArgs<ApproveRunbookActionsInput>): Promise<RunbookChange> {
  authorize(ctx.actor, "runbook.edit_actions");
  const { slug, version } = parseInput(ApproveRunbookActionsInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const tx = txCtx.db;
    const stored = await findRunbook(tx, slug, { lock: true });
    const { row } = stored;
    if (!row.resourceRef)
      throw conflict(`Runbook ${slug} is not from a Runbook resource: its actions need no approval`);
    if (row.currentVersion !== version)
      throw conflict(
        `Version ${row.currentVersion} of ${slug} arrived from ${row.resourceRef} after you reviewed version ${version}: review it and approve again`,
      );
    if (row.removedAt) throw conflict(`The Runbook resource ${row.resourceRef} was deleted`);
    if (row.resourceProblem)
      throw conflict(`The Runbook resource ${row.resourceRef} is refused: ${row.resourceProblem}`);
    const digest = actionsDigest(stored.document);
    if (digest === null) throw conflict(`Runbook ${slug} has no actions to approve`);
    if (row.actionsApprovedDigest === digest) return { runbook: toRunbookDetail(stored), changed: false };
    const who = describeActor(ctx.actor);
    await recordActionsApproval(tx, row.id, {
      actionsApprovedDigest: digest,
      actionsApprovedVersion: version,
      actionsApprovedBy: who.name,
      actionsApprovedAt: ctx.now,
    });
    await recordAudit(txCtx, {
      action: "runbook.approve_actions",
      resourceType: "runbook",
      resourceId: row.id,
      details: {
        slug,
        resource: row.resourceRef,
        version,
        actions: stored.document.frontMatter.actions.map((a) => ({ id: a.id, type: a.type })),
      },
    });
    return { runbook: toRunbookDetail(await findRunbook(tx, slug)), changed: true };
  });
}
