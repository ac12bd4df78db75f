// requestRemediation: a person (or the automatic trigger) asks for one runbook action on an incident. The
// action is made concrete for one of the incident's alerts, the policy decides, and in one transaction the
// run row, its timeline event, its audit row and its job (execute, or ask for approval) are written.
// Concurrent requests for the same target are serialised, so the rate limit cannot be raced past.
import { and, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import { remediationRuns, type IncidentRow, type RemediationRunRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { describeActor, type Ctx, type VerbArgs, inTransaction } from "../context";
import { AppError, invalid, notFound } from "../errors";
import { appendTimelineEvent, findIncident } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { parseInput } from "../input";
import { enqueueJob } from "../jobs/enqueue";
import type { RunbookAction } from "../runbooks/runbook-document";
import type { AlertFacts, CatalogRunbook } from "../runbooks/runbook-matching";
import { catalogRunbookOf, findRunbook } from "../runbooks/runbook-store";
import { ActionResolutionError, resolveActionTarget, type ActionTarget } from "./action-target";
import { actionSubjects, incidentAlerts, matchIncidentRunbook, templateContextFor } from "./incident-runbook";
import { ASK_APPROVAL_JOB, EXECUTE_JOB } from "./job-names";
import { decideRemediation, policyActionOf, type Decision } from "./policy";
import { countRemediation } from "./remediation-metrics";
import { decisionText } from "./run-narrative";
import { toRemediationRun } from "./run-dto";
import { RequestRemediationInput, type RemediationRun } from "./schemas";
import type { RemediationSettings } from "./settings";
import { advisoryLocks } from "@/db/advisory-locks";

/** Statuses of runs that acted or may still act: the ones the hourly limit counts. */
export const countedStatuses = ["pending_approval", "approved", "running", "succeeded", "failed"] as const;
const HOUR_MS = 3_600_000;

export interface RequestOptions {
  settings: RemediationSettings;
  /** Set only by the automatic trigger: the policy treats automatic runs more strictly. */
  automatic?: boolean;
}

export async function requestRemediation({
  ctx,
  input,
  settings,
  automatic = false,
}: VerbArgs<RequestRemediationInput> & RequestOptions): Promise<RemediationRun> {
  authorize(ctx.actor, "remediation.request");
  const data = parseInput(RequestRemediationInput, input);
  const incident = await findIncident(ctx.db, data.ref);
  const { runbook, alertFacts } = await runbookFor(ctx, incident, data.runbook);
  const action = runbook.document.frontMatter.actions.find((a) => a.id === data.action);
  if (!action)
    throw notFound(
      `Runbook ${runbook.slug} has no action "${data.action}" (it has ${runbook.document.frontMatter.actions.map((a) => a.id).join(", ") || "none"})`,
    );
  if (data.replicas !== undefined && action.type !== "k8s.scale")
    throw invalid("replicas applies to k8s.scale actions only", [{ path: "replicas", message: "only for k8s.scale" }]);
  const subject = chooseSubject(runbook, alertFacts, data.alert);

  const { row, decision } = await inTransaction(ctx, async (txCtx) => {
    const lockedIncident = await findIncident(txCtx.db, incident.id, { lock: true });
    let target: ActionTarget | null = null;
    let unresolved: string | null = null;
    try {
      target = resolveActionTarget(action, templateContextFor(lockedIncident, subject), { replicas: data.replicas });
    } catch (error) {
      if (!(error instanceof ActionResolutionError)) throw error;
      unresolved = error.message;
    }
    const rateKey = target?.rateKey ?? `${action.type} (unresolved)`;
    // Automatic requests are serialised among themselves too, so concurrent incidents cannot race past the
    // global cap. Always this lock before the rate key's; people's requests take only the rate key's.
    if (automatic)
      await txCtx.db.execute(
        sql`select pg_advisory_xact_lock(hashtextextended('automatic remediation', ${advisoryLocks.remediationRate}))`,
      );
    await txCtx.db.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${rateKey}, ${advisoryLocks.remediationRate}))`,
    );
    // A Runbook resource's actions act only once an admin approved them (lib/runbooks/remediation-part.ts).
    const decision: Decision = runbook.actionsInactive
      ? { status: "denied", reason: runbook.actionsInactive, risk: null }
      : target
        ? decideRemediation(
            {
              action: policyActionOf(action),
              target,
              automatic,
              dryRun: settings.dryRun || data.dry_run === true,
              incidentStatus: lockedIncident.status,
              recentRuns: await recentRuns(txCtx, rateKey),
              recentAutomaticRuns: automatic ? await recentAutomaticRuns(txCtx) : 0,
            },
            settings,
          )
        : { status: "denied", reason: `its parameters cannot be filled from this alert: ${unresolved}`, risk: null };
    // Under the two-person rule the approver must be someone other than the requester, which a token
    // cannot tell: its holder could approve their own request in the app.
    if (settings.twoPerson && decision.status === "pending_approval" && ctx.actor.type === "apiToken") {
      throw new AppError(
        "forbidden",
        "The two-person rule is on: an action that needs approval must be requested by a person signed in to Vigil or Slack, not with an API token",
      );
    }
    const row = await insertRun(txCtx, {
      incident: lockedIncident,
      runbook,
      action,
      target,
      rateKey,
      decision,
      automatic,
      dryRun: settings.dryRun || data.dry_run === true,
      subject,
    });
    await appendTimelineEvent(txCtx, lockedIncident.id, {
      kind: "remediation",
      text: decisionText(row, action.title, describeActor(ctx.actor).name),
      data: {
        run_id: row.id,
        runbook: runbook.slug,
        action: action.id,
        action_type: action.type,
        target: row.target,
        status: row.status,
        automatic,
        dry_run: row.dryRun,
        risk: decision.risk,
      },
    });
    await recordAudit(txCtx, {
      action: "remediation.request",
      resourceType: "remediation_run",
      resourceId: row.id,
      details: {
        incident: formatIncidentRef(lockedIncident.number),
        runbook: runbook.slug,
        version: runbook.version,
        action: action.id,
        action_type: action.type,
        target: row.target,
        decision: row.status,
        reason: row.reason,
        automatic,
        dry_run: row.dryRun,
      },
    });
    if (row.status === "approved")
      await enqueueJob(txCtx.db, EXECUTE_JOB, { run_id: row.id }, { jobKey: `remediation:${row.id}` });
    if (row.status === "pending_approval")
      await enqueueJob(txCtx.db, ASK_APPROVAL_JOB, { run_id: row.id }, { jobKey: `remediation-approval:${row.id}` });
    return { row, decision };
  });
  countRemediation(action.type, decision.status);
  return toRemediationRun(row, runbook.slug);
}

async function runbookFor(
  ctx: Ctx,
  incident: IncidentRow,
  slug: string | undefined,
): Promise<{ runbook: CatalogRunbook; alertFacts: AlertFacts[] }> {
  const alertFacts = await incidentAlerts(ctx.db, incident.id);
  if (slug) {
    return { runbook: catalogRunbookOf(await findRunbook(ctx.db, slug)), alertFacts };
  }
  const { match } = await matchIncidentRunbook(ctx.db, incident, alertFacts);
  if (!match) throw notFound(`A runbook for ${formatIncidentRef(incident.number)} (none matches its alerts; name one)`);
  return { runbook: match.runbook, alertFacts };
}

/** The alert whose labels fill the action: the one named, else the first (firing) alert the runbook is for. */
function chooseSubject(
  runbook: CatalogRunbook,
  alertFacts: AlertFacts[],
  fingerprint: string | undefined,
): AlertFacts | null {
  if (fingerprint) {
    const named = alertFacts.find((a) => a.fingerprint === fingerprint);
    if (!named)
      throw invalid(`The incident has no alert with fingerprint ${fingerprint}`, [
        { path: "alert", message: "not an alert of this incident" },
      ]);
    return named;
  }
  return actionSubjects(runbook, alertFacts)[0] ?? null;
}

async function recentRuns(ctx: Ctx, rateKey: string): Promise<number> {
  return runsInLastHour(ctx, eq(remediationRuns.rateKey, rateKey));
}

async function recentAutomaticRuns(ctx: Ctx): Promise<number> {
  return runsInLastHour(ctx, eq(remediationRuns.automatic, true));
}

/** Real runs (not dry runs, not refused) of the last hour that match `which`: what the rate limits count. */
async function runsInLastHour(ctx: Ctx, which: SQL): Promise<number> {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(remediationRuns)
    .where(
      and(
        which,
        eq(remediationRuns.dryRun, false),
        inArray(remediationRuns.status, [...countedStatuses]),
        gte(remediationRuns.requestedAt, new Date(ctx.now.getTime() - HOUR_MS)),
      ),
    );
  return row?.n ?? 0;
}

interface NewRun {
  incident: IncidentRow;
  runbook: CatalogRunbook;
  action: RunbookAction;
  target: ActionTarget | null;
  rateKey: string;
  decision: Decision;
  automatic: boolean;
  dryRun: boolean;
  subject: AlertFacts | null;
}

async function insertRun(ctx: Ctx, run: NewRun): Promise<RemediationRunRow> {
  const who = describeActor(ctx.actor);
  const [row] = await ctx.db
    .insert(remediationRuns)
    .values({
      incidentId: run.incident.id,
      runbookId: run.runbook.id,
      runbookVersion: run.runbook.version,
      actionId: run.action.id,
      actionType: run.action.type,
      target: run.target?.target ?? "(unresolved)",
      rateKey: run.rateKey,
      params: { ...(run.target?.params ?? {}), ...(run.subject ? { alert_fingerprint: run.subject.fingerprint } : {}) },
      status: run.decision.status,
      reason: run.decision.reason,
      dryRun: run.dryRun,
      automatic: run.automatic,
      requestedByType: who.type,
      requestedById: who.userId ?? who.id,
      requestedByName: who.name,
      requestedAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  if (!row) throw new Error("insert returned no remediation run");
  return row;
}
