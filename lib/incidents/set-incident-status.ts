import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { changeLifecycle } from "./lifecycle";
import { SetIncidentStatusInput, type IncidentChange } from "./schemas";

/** Moves an incident forward to acknowledged, investigating or resolved (never back; see reopen). */
export async function setIncidentStatus({ ctx, input }: VerbArgs<SetIncidentStatusInput>): Promise<IncidentChange> {
  authorize(ctx.actor, "incident.set_status");
  const { ref, status, note } = parseInput(SetIncidentStatusInput, input);
  return changeLifecycle(ctx, ref, { type: "set_status", status }, { note, auditAction: "incident.set_status" });
}
