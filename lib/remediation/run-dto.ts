// A remediation run row as the API shows it.
import type { RemediationRunRow } from "@/db/schema";
import { isActionType } from "../runbooks/action-types";
import type { RemediationRun } from "./schemas";

export function toRemediationRun(row: RemediationRunRow, runbookSlug: string | null): RemediationRun {
  if (!isActionType(row.actionType))
    throw new Error(`remediation run ${row.id} has an unknown action type ${row.actionType}`);
  return {
    id: row.id,
    incident_id: row.incidentId,
    runbook: runbookSlug,
    runbook_version: row.runbookVersion,
    action_id: row.actionId,
    action_type: row.actionType,
    target: row.target,
    params: row.params,
    status: row.status,
    reason: row.reason,
    dry_run: row.dryRun,
    automatic: row.automatic,
    requested_by: { type: row.requestedByType, id: row.requestedById, name: row.requestedByName },
    requested_at: row.requestedAt.toISOString(),
    decided_by: row.decidedByName
      ? { type: row.decidedByType ?? "unknown", id: row.decidedById, name: row.decidedByName }
      : null,
    decided_at: row.decidedAt?.toISOString() ?? null,
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
    attempts: row.attempts,
    output: row.output,
  };
}
