import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { changeLifecycle } from "./lifecycle";
import { ResolveIncidentInput, type IncidentChange } from "./schemas";

/** Resolves an incident, keeping the optional resolution note for the postmortem. */
export async function resolveIncident({ ctx, input }: VerbArgs<ResolveIncidentInput>): Promise<IncidentChange> {
  authorize(ctx.actor, "incident.resolve");
  const { ref, resolution_note } = parseInput(ResolveIncidentInput, input);
  return changeLifecycle(ctx, ref, { type: "resolve" }, { note: resolution_note, auditAction: "incident.resolve" });
}
