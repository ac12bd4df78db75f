// "Write the postmortem now": drafts it for an incident that has none yet (resolved before postmortems
// existed, say), or refreshes a draft from the incident's record, keeping every section people edited.
// Database only, so it runs in the request; the draft that follows a resolve comes from the worker.
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { conflict } from "../errors";
import { findIncident } from "../incidents/incident-store";
import { IncidentRefInput } from "../incidents/schemas";
import { parseInput } from "../input";
import { inTransaction } from "../context";
import type { PostmortemVerbArgs } from "./postmortem-settings";
import { toPostmortemDto } from "./postmortem-store";
import { zonedToday } from "./postmortem-time";
import type { Postmortem } from "./schemas";
import { writePostmortemDraft } from "./write-postmortem-draft";

export async function draftPostmortem({
  ctx,
  input,
  settings,
}: PostmortemVerbArgs<{ ref: string }>): Promise<{ postmortem: Postmortem; created: boolean }> {
  authorize(ctx.actor, "postmortem.edit");
  const { ref } = parseInput(IncidentRefInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const incident = await findIncident(txCtx.db, ref);
    const { row, outcome } = await writePostmortemDraft(txCtx, incident, settings);
    if (outcome === "published") throw conflict("The postmortem is published: move it back to review to regenerate it");
    // Asked for and found nothing to refresh: still a deliberate act, so it is on the record.
    if (outcome === "unchanged")
      await recordAudit(txCtx, {
        action: "postmortem.regenerate",
        resourceType: "postmortem",
        resourceId: row.id,
        details: { changed: false },
      });
    return {
      postmortem: await toPostmortemDto(txCtx.db, row, zonedToday(ctx.now, settings.timeZone)),
      created: outcome === "created",
    };
  });
}
