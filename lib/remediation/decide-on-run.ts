// approveRemediation / rejectRemediation: a person decides on a run that waits for approval. Admins may;
// with the two-person rule a second responder may too, and nobody decides on their own request. An
// approval checks the hourly limit again (time has passed since the request) and, for an automatic run,
// that the incident is still unresolved. One transaction: the run, its timeline event, its audit row and
// (when approved) its job.
import { and, eq, gte, inArray, ne, sql } from "drizzle-orm";
import { remediationRuns, type RemediationRunRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { describeActor, type Ctx, type VerbArgs, inTransaction } from "../context";
import { AppError, conflict } from "../errors";
import { appendTimelineEvent, findIncident } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { parseInput } from "../input";
import { enqueueJob } from "../jobs/enqueue";
import { findRunbook } from "../runbooks/runbook-store";
import { EXECUTE_JOB } from "./job-names";
import { approvalRight } from "./policy";
import { countRemediation } from "./remediation-metrics";
import { approvalText } from "./run-narrative";
import { toRemediationRun } from "./run-dto";
import { actionTitleOf, findRun, runbookSlugOf } from "./run-store";
import { DecideRemediationInput, type RemediationRun } from "./schemas";
import type { RemediationSettings } from "./settings";
import { advisoryLocks } from "@/db/advisory-locks";

type DecideArgs = VerbArgs<DecideRemediationInput> & { settings: RemediationSettings };

export const approveRemediation = (args: DecideArgs) => decide(args, true);
export const rejectRemediation = (args: DecideArgs) => decide(args, false);

const HOUR_MS = 3_600_000;

async function decide({ ctx, input, settings }: DecideArgs, approve: boolean): Promise<RemediationRun> {
  authorize(ctx.actor, settings.twoPerson ? "remediation.approve_as_second_person" : "remediation.approve");
  const { id, reason: note } = parseInput(DecideRemediationInput, input);
  const who = describeActor(ctx.actor);
  const { row, slug } = await inTransaction(ctx, async (txCtx) => {
    const run = await findRun(txCtx.db, id, { lock: true });
    const right = approvalRight(
      { role: ctx.actor.role, personId: who.userId ?? who.id, isPerson: who.userId !== null },
      run.requestedById,
      settings.twoPerson,
    );
    if (!right.allowed) throw new AppError("forbidden", `You may not decide on this run: ${right.reason}`);
    if (run.status !== "pending_approval") {
      throw conflict(
        `This run is not waiting for approval: it is ${run.status.replace("_", " ")}${run.decidedByName ? ` (decided by ${run.decidedByName})` : ""}`,
      );
    }
    const outcome = approve
      ? await approvalOutcome(txCtx, run, settings)
      : { status: "rejected" as const, reason: note ? `rejected by ${who.name}: ${note}` : `rejected by ${who.name}` };
    const [updated] = await txCtx.db
      .update(remediationRuns)
      .set({
        status: outcome.status,
        reason: outcome.reason,
        decidedByType: who.type,
        decidedById: who.userId ?? who.id,
        decidedByName: who.name,
        decidedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .where(eq(remediationRuns.id, run.id))
      .returning();
    const title = await actionTitleOf(txCtx.db, run);
    if (run.incidentId) {
      const detail = outcome.status === "approved" || outcome.status === "rejected" ? note : outcome.reason;
      await appendTimelineEvent(txCtx, run.incidentId, {
        kind: "remediation",
        text:
          approvalText(run, title, who.name, approve, detail ?? undefined) +
          (outcome.status !== "approved" && approve ? ` — not run: ${outcome.reason}` : ""),
        data: {
          run_id: run.id,
          action: run.actionId,
          action_type: run.actionType,
          target: run.target,
          status: outcome.status,
          decided_by: who.name,
        },
      });
    }
    const incident = run.incidentId ? await findIncident(txCtx.db, run.incidentId) : null;
    await recordAudit(txCtx, {
      action: approve ? "remediation.approve" : "remediation.reject",
      resourceType: "remediation_run",
      resourceId: run.id,
      details: {
        incident: incident ? formatIncidentRef(incident.number) : null,
        action: run.actionId,
        action_type: run.actionType,
        target: run.target,
        status: outcome.status,
        reason: outcome.reason,
      },
    });
    if (outcome.status === "approved")
      await enqueueJob(txCtx.db, EXECUTE_JOB, { run_id: run.id }, { jobKey: `remediation:${run.id}` });
    return { row: updated!, slug: await runbookSlugOf(txCtx.db, run) };
  });
  countRemediation(row.actionType, row.status);
  return toRemediationRun(row, slug);
}

/** An approval still has to fit the hourly limit now, and an automatic run an unresolved incident. */
async function approvalOutcome(
  ctx: Ctx,
  run: RemediationRunRow,
  settings: RemediationSettings,
): Promise<{ status: "approved" | "rate_limited" | "denied"; reason: string }> {
  const who = describeActor(ctx.actor).name;
  if (run.automatic && run.incidentId && (await findIncident(ctx.db, run.incidentId)).status === "resolved") {
    return {
      status: "denied",
      reason: `approved by ${who}, but the incident is resolved: nothing runs automatically on a resolved incident`,
    };
  }
  if (run.dryRun) return { status: "approved", reason: `approved by ${who} (dry run)` };
  await ctx.db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${run.rateKey}, ${advisoryLocks.remediationRate}))`,
  );
  const [acted] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(remediationRuns)
    .where(
      and(
        eq(remediationRuns.rateKey, run.rateKey),
        ne(remediationRuns.id, run.id),
        eq(remediationRuns.dryRun, false),
        inArray(remediationRuns.status, ["approved", "running", "succeeded", "failed"]),
        gte(remediationRuns.requestedAt, new Date(ctx.now.getTime() - HOUR_MS)),
      ),
    );
  const limit = await limitOf(ctx, run, settings);
  const n = acted?.n ?? 0;
  if (n >= limit)
    return {
      status: "rate_limited",
      reason: `approved by ${who}, but ${n} runs on ${run.target} in the last hour already; at most ${limit} per hour`,
    };
  return { status: "approved", reason: `approved by ${who}` };
}

async function limitOf(ctx: Ctx, run: RemediationRunRow, settings: RemediationSettings): Promise<number> {
  const slug = await runbookSlugOf(ctx.db, run);
  if (!slug) return settings.maxPerHour;
  const stored = await findRunbook(ctx.db, slug).catch(() => null);
  return stored?.document.frontMatter.actions.find((a) => a.id === run.actionId)?.max_per_hour ?? settings.maxPerHour;
}
