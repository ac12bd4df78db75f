// An incident's remediation runs, newest first: what was asked, what the policy decided, what happened.
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { findIncident } from "../incidents/incident-store";
import { IncidentRefInput } from "../incidents/schemas";
import { parseInput } from "../input";
import { toRemediationRun } from "./run-dto";
import { listIncidentRuns } from "./run-store";
import type { RemediationRun } from "./schemas";

export async function listRemediationRuns({ ctx, input }: VerbArgs<{ ref: string }>): Promise<RemediationRun[]> {
  authorize(ctx.actor, "remediation.read");
  const { ref } = parseInput(IncidentRefInput, input);
  const incident = await findIncident(ctx.db, ref);
  return (await listIncidentRuns(ctx.db, incident.id)).map(({ run, slug }) => toRemediationRun(run, slug));
}
