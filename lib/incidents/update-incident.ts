import type { IncidentRow } from "@/db/schema";
import { recordIncidentTransitions } from "../observability/incident-metrics";
import { authorize } from "../auth/permissions";
import { type VerbArgs, inTransaction } from "../context";
import { invalid } from "../errors";
import { parseInput } from "../input";
import { findIncident, resolveUserReference, toIncident } from "./incident-store";
import { moveIncident } from "./lifecycle";
import { recordIncidentChange, type IncidentPatch } from "./record-incident-change";
import { UpdateIncidentInput, type IncidentChange } from "./schemas";

const editableFields = {
  title: "title",
  severity: "severity",
  description: "description",
  service: "service",
  team: "team",
  false_positive: "falsePositive",
  false_positive_reason: "falsePositiveReason",
  exclude_from_metrics: "excludeFromMetrics",
} as const satisfies Record<string, keyof IncidentRow>;

/**
 * Edits an incident's fields and, when `status` is given, moves it along its lifecycle, all in one
 * transaction. Fields that already hold the requested value are not reported as changes.
 */
export async function updateIncident({ ctx, input }: VerbArgs<UpdateIncidentInput>): Promise<IncidentChange> {
  authorize(ctx.actor, "incident.update");
  const data = parseInput(UpdateIncidentInput, input);
  const { change, transition } = await inTransaction(ctx, async (txCtx) => {
    const before = await findIncident(txCtx.db, data.ref, { lock: true });
    let row = before;
    const patch: IncidentPatch = {};
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, column] of Object.entries(editableFields) as [
      keyof typeof editableFields,
      (typeof editableFields)[keyof typeof editableFields],
    ][]) {
      const next = data[field];
      if (next === undefined || next === row[column]) continue;
      patch[column] = next as never;
      changes[field] = { from: row[column], to: next };
    }
    if (data.detected_at !== undefined) {
      const detectedAt = data.detected_at === null ? null : new Date(data.detected_at);
      if (detectedAt && detectedAt > row.createdAt) {
        throw invalid("The detection time must be at or before the incident was opened", [
          {
            path: "detected_at",
            message: `must not be after ${row.createdAt.toISOString()} (when the incident was opened)`,
          },
        ]);
      }
      if ((detectedAt?.getTime() ?? null) !== (row.detectedAt?.getTime() ?? null)) {
        patch.detectedAt = detectedAt;
        changes.detected_at = { from: row.detectedAt?.toISOString() ?? null, to: detectedAt?.toISOString() ?? null };
      }
    }
    if (data.owner !== undefined) {
      const owner = data.owner === null ? null : await resolveUserReference(txCtx.db, data.owner);
      if ((owner?.id ?? null) !== row.ownerId) {
        patch.ownerId = owner?.id ?? null;
        changes.owner = { from: row.ownerId, to: owner ? owner.name : null };
      }
    }

    let changed = false;
    if (Object.keys(changes).length > 0) {
      ({ row } = await recordIncidentChange(txCtx, row, {
        patch,
        event: { kind: "updated", text: describeChanges(changes, ctx.actor.name), data: { changes } },
        audit: { action: "incident.update", details: { changes } },
      }));
      changed = true;
    }
    if (data.status) {
      const moved = await moveIncident(
        txCtx,
        row,
        { type: "set_status", status: data.status },
        { auditAction: "incident.set_status" },
      );
      row = moved.row;
      changed ||= moved.changed;
    }
    return { change: { incident: await toIncident(txCtx.db, row), changed }, transition: { before, after: row } };
  });
  // Committed: a status set here (acknowledged, resolved) is timed like the lifecycle verbs' moves.
  if (change.changed) recordIncidentTransitions([transition]);
  return change;
}

function describeChanges(changes: Record<string, { from: unknown; to: unknown }>, actorName: string): string {
  const parts = Object.entries(changes).map(([field, { from, to }]) => {
    if (field === "description") return "description edited";
    if (field === "false_positive") return to ? "marked as a false positive" : "no longer marked as a false positive";
    if (field === "false_positive_reason") return "false-positive reason edited";
    if (field === "exclude_from_metrics") return to ? "excluded from metrics" : "counted in metrics again";
    if (field === "detected_at")
      return to === null
        ? "detection time cleared (unknown)"
        : `detection time ${from === null ? "set" : `corrected from ${String(from)}`} to ${String(to)}`;
    if (field === "owner") return to === null ? "owner cleared" : `owner set to ${String(to)}`;
    return `${field} ${from === null ? "set" : `changed from ${String(from)}`} to ${to === null ? "nothing" : String(to)}`;
  });
  return `${actorName}: ${parts.join("; ")}`;
}
