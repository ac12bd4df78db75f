import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { changeLifecycle } from "./lifecycle";
import { ReopenIncidentInput, type IncidentChange } from "./schemas";

/** Brings a resolved incident back to open and counts the reopening. */
export async function reopenIncident({ ctx, input }: VerbArgs<ReopenIncidentInput>): Promise<IncidentChange> {
  authorize(ctx.actor, "incident.reopen");
  const { ref, reason } = parseInput(ReopenIncidentInput, input);
  return changeLifecycle(ctx, ref, { type: "reopen" }, { note: reason, auditAction: "incident.reopen" });
}
