import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { changeLifecycle } from "./lifecycle";
import { IncidentRefInput, type IncidentChange } from "./schemas";

/** "I have it." Repeating it, or acknowledging an incident already under investigation, changes nothing. */
export async function acknowledgeIncident({ ctx, input }: VerbArgs<{ ref: string }>): Promise<IncidentChange> {
  authorize(ctx.actor, "incident.acknowledge");
  const { ref } = parseInput(IncidentRefInput, input);
  return changeLifecycle(ctx, ref, { type: "acknowledge" }, { auditAction: "incident.acknowledge" });
}
