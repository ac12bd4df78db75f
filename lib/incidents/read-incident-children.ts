import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { findIncident } from "./incident-store";
import { IncidentRefInput } from "./schemas";

/**
 * The start every "this incident's …" list shares: a reader may look, and the ref names an incident
 * (else 404). `load` reads the rows that hang off it.
 */
export async function readIncidentChildren<T>(
  { ctx, input }: VerbArgs<{ ref: string }>,
  load: (incidentId: string) => Promise<T[]>,
): Promise<T[]> {
  authorize(ctx.actor, "incident.read");
  const { ref } = parseInput(IncidentRefInput, input);
  const incident = await findIncident(ctx.db, ref);
  return load(incident.id);
}
