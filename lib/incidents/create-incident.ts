import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { type VerbArgs, inTransaction } from "../context";
import { parseInput } from "../input";
import { recordIncidentTransitions } from "../observability/incident-metrics";
import { toIncidentDto } from "./incident-dto";
import { appendTimelineEvent, insertIncident, resolveUserReference } from "./incident-store";
import { formatIncidentRef } from "./ref";
import { CreateIncidentInput, type IncidentChange } from "./schemas";

/** Declares an incident by hand (alerts open theirs through ingestion). */
export async function createIncident({ ctx, input }: VerbArgs<CreateIncidentInput>): Promise<IncidentChange> {
  authorize(ctx.actor, "incident.create");
  const data = parseInput(CreateIncidentInput, input);
  const { change, row } = await inTransaction(ctx, async (txCtx) => {
    const owner = data.owner ? await resolveUserReference(txCtx.db, data.owner) : null;
    const row = await insertIncident(txCtx, {
      title: data.title,
      description: data.description ?? null,
      severity: data.severity,
      service: data.service ?? null,
      team: data.team ?? null,
      ownerId: owner?.id ?? null,
      labels: data.labels ?? {},
      detectedAt: data.detected_at ? new Date(data.detected_at) : null,
    });
    const ref = formatIncidentRef(row.number);
    await appendTimelineEvent(txCtx, row.id, {
      kind: "created",
      text: `${data.severity} incident declared by ${ctx.actor.name}: ${data.title}`,
      data: { severity: data.severity, ...(owner ? { owner: owner.name } : {}) },
    });
    await recordAudit(txCtx, {
      action: "incident.create",
      resourceType: "incident",
      resourceId: row.id,
      details: { ref, title: data.title, severity: data.severity },
    });
    return { change: { incident: toIncidentDto(row, owner), changed: true }, row };
  });
  recordIncidentTransitions([{ before: null, after: row }]); // committed: count it
  return change;
}
