// Runs one approved run, at most once in effect, whatever happens to the worker:
// - The attempt first claims the row (running, attempts + 1, a lease). A second job for the same run — a
//   retry racing a recovered one — finds the lease and comes back when it ends; a finished, rejected or
//   still-pending run is left alone.
// - A claim that finds `running` with an expired lease knows the earlier attempt died mid-run. The
//   executor then looks before it acts (the actions are repeatable for the same run; see
//   workload-actions.ts), and an HTTP hook is not sent again.
// - The result goes to the run, the timeline (and from there to the incident's Slack thread) and the
//   audit log in one transaction; action failures are results, not job failures: nothing is retried
//   behind people's backs.
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { remediationRuns, type RemediationRunRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { type Ctx, inTransaction } from "../context";
import { appendTimelineEvent, findIncident } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { enqueueJob } from "../jobs/enqueue";
import type { Logger } from "../observability/logger";
import type { RemediationExecutor } from "./executor";
import { EXECUTE_JOB } from "./job-names";
import type { ResolvedAction } from "./action-target";
import { refusedBySettings } from "./policy";
import { countRemediation } from "./remediation-metrics";
import { resultText } from "./run-narrative";
import { actionTitleOf } from "./run-store";
import { leaseMsFor, type RemediationSettings } from "./settings";

export type ExecutionOutcome = "succeeded" | "failed" | "denied" | "busy" | "done";

const actor = { type: "system", name: "Vigil remediation", role: "admin" } as const;

export async function executeRemediationRun(
  db: DbOrTx,
  runId: string,
  executor: RemediationExecutor,
  settings: RemediationSettings,
  log: Logger,
): Promise<ExecutionOutcome> {
  const now = new Date();
  const claimed = await claim(db, runId, leaseMsFor(settings), now);
  if (!claimed) {
    const [row] = await db.select().from(remediationRuns).where(eq(remediationRuns.id, runId));
    if (row?.status === "running" && row.leaseUntil) {
      await enqueueJob(
        db,
        EXECUTE_JOB,
        { run_id: row.id },
        { jobKey: `remediation:${row.id}`, runAt: new Date(row.leaseUntil.getTime() + 500) },
      );
      return "busy";
    }
    return "done";
  }
  const { run, recovered } = claimed;
  const ctx: Ctx = { db, actor, now };

  if (run.automatic && run.incidentId && (await findIncident(db, run.incidentId)).status === "resolved") {
    return finish(ctx, run, "denied", {
      reason: "the incident was resolved before the run started: nothing runs automatically on a resolved incident",
      output: null,
    });
  }
  // The settings may have narrowed since the run was approved (or while it waited for approval): what
  // the worker may do now decides, not what it was allowed to do then.
  const refused = refusedBySettings(run.actionType, run.params as ResolvedAction, settings);
  if (refused) return finish(ctx, run, "denied", { reason: `no longer allowed: ${refused}`, output: null });
  if (recovered)
    log.warn(
      { run: run.id, attempts: run.attempts },
      "remediation run found mid-run after a worker stopped; checking before acting again",
    );
  const result = await executor.execute({
    runId: run.id,
    params: run.params,
    stamp: (run.startedAt ?? now).toISOString(),
    dryRun: run.dryRun,
    recovered,
    timeoutMs: settings.timeoutMs,
  });
  return finish({ ...ctx, now: new Date() }, run, result.ok ? "succeeded" : "failed", {
    reason: run.reason,
    output: result.output,
  });
}

async function claim(
  db: DbOrTx,
  id: string,
  leaseMs: number,
  now: Date,
): Promise<{ run: RemediationRunRow; recovered: boolean } | null> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const result = await db.execute<Record<string, unknown>>(sql`
    update ${remediationRuns} r
       set status = 'running', attempts = r.attempts + 1, lease_until = ${leaseUntil.toISOString()}::timestamptz,
           started_at = coalesce(r.started_at, ${now.toISOString()}::timestamptz), updated_at = ${now.toISOString()}::timestamptz
      from (select id, status as previous_status from ${remediationRuns} where id = ${id} for update) previous
     where r.id = previous.id
       and (r.status = 'approved' or (r.status = 'running' and r.lease_until < ${now.toISOString()}::timestamptz))
    returning r.id, previous.previous_status`);
  const claimedRow = result[0];
  if (!claimedRow) return null;
  const [run] = await db.select().from(remediationRuns).where(eq(remediationRuns.id, id));
  return run ? { run, recovered: claimedRow.previous_status === "running" } : null;
}

async function finish(
  ctx: Ctx,
  run: RemediationRunRow,
  status: "succeeded" | "failed" | "denied",
  result: { reason: string | null; output: string | null },
): Promise<ExecutionOutcome> {
  const done = await inTransaction(ctx, async (txCtx) => {
    // Only the attempt that holds the run may finish it.
    const [row] = await txCtx.db
      .update(remediationRuns)
      .set({
        status,
        reason: result.reason,
        output: result.output,
        finishedAt: ctx.now,
        leaseUntil: null,
        updatedAt: ctx.now,
      })
      .where(
        and(
          eq(remediationRuns.id, run.id),
          eq(remediationRuns.status, "running"),
          eq(remediationRuns.attempts, run.attempts),
        ),
      )
      .returning();
    if (!row) return null;
    const title = await actionTitleOf(txCtx.db, row);
    if (row.incidentId) {
      await appendTimelineEvent(txCtx, row.incidentId, {
        kind: "remediation",
        text: resultText(row, title),
        data: {
          run_id: row.id,
          action: row.actionId,
          action_type: row.actionType,
          target: row.target,
          status,
          dry_run: row.dryRun,
          attempts: row.attempts,
        },
      });
    }
    const incident = row.incidentId ? await findIncident(txCtx.db, row.incidentId) : null;
    await recordAudit(txCtx, {
      action: "remediation.finish",
      resourceType: "remediation_run",
      resourceId: row.id,
      details: {
        incident: incident ? formatIncidentRef(incident.number) : null,
        action: row.actionId,
        action_type: row.actionType,
        target: row.target,
        status,
        output: row.output,
        attempts: row.attempts,
        dry_run: row.dryRun,
      },
    });
    return row;
  });
  if (!done) return "done";
  countRemediation(run.actionType, status);
  return status;
}
