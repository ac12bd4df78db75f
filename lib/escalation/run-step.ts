// Runs the step an escalation is at: pages its targets (skipping, at once and on the timeline, steps that
// reach nobody), then moves to the next position and schedules itself for when that is due. Called with
// the incident's escalation lock held (lockIncidentEscalation), inside the caller's transaction.
import { count, eq } from "drizzle-orm";
import { escalations, type EscalationRow, type IncidentRow } from "@/db/schema";
import { systemActor, type Ctx } from "../context";
import { appendTimelineEvent } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { enqueueJob } from "../jobs/enqueue";
import { mutingWindows, recordMuted } from "../maintenance/muting";
import { resolveStepTargets, type PolicyDefinition } from "../oncall/escalation-policy";
import { targetLookupAt } from "../oncall/policies";
import { pagingPriority, STEP_JOB, stepJobKey } from "./job-names";
import { runningPolicy } from "./policy-of";
import { endEscalation } from "./stop";
import { listed, writeStepPages } from "./write-pages";

export const ENGINE_ACTOR = "Vigil escalation";

/** "step 2", or "step 1 (repeat 1 of 2)" on a later pass of the policy. */
export const stepLabel = (policy: Pick<PolicyDefinition, "repeat">, step: number, pass: number) =>
  `step ${step + 1}${pass > 0 ? ` (repeat ${pass} of ${policy.repeat})` : ""}`;

export interface StepTrigger {
  /** A person asked for it (escalate now): the timeline names them instead of the elapsed delay. */
  manualBy?: Ctx;
}

export async function runStep(
  ctx: Ctx,
  escalation: EscalationRow,
  incident: IncidentRow,
  trigger: StepTrigger = {},
): Promise<EscalationRow> {
  const { db, now } = ctx;
  const engine: Ctx = { db, actor: systemActor(ENGINE_ACTOR), now };
  const policy = await runningPolicy(db, escalation);
  if (!policy) {
    await endEscalation(
      engine,
      escalation,
      "stopped",
      "policy deleted",
      `Escalation stopped: policy “${escalation.policyName}” no longer exists`,
    );
    return escalation;
  }
  // A maintenance window holds paging: the run ends here, and the window's end (`unmuted`) starts a new one.
  const muting = await mutingWindows(db, incident, now);
  if (muting.length > 0) {
    await recordMuted(db, incident.id, muting, now);
    await endEscalation(
      engine,
      escalation,
      "stopped",
      "muted",
      "Escalation held by maintenance: it starts again when the window ends",
    );
    return escalation;
  }
  const position = { step: escalation.step, pass: escalation.pass };
  await announceMove(engine, escalation, incident, policy, trigger);

  const lookup = await targetLookupAt(db, [policy], now);
  const { next, skipped } = resolveStepTargets(policy, position, lookup, await roundRobinTurn(ctx, escalation));
  for (const skip of skipped)
    await appendTimelineEvent(engine, incident.id, {
      kind: "escalation",
      text: `${capitalised(stepLabel(policy, skip.step, skip.pass))}: ${skip.reason}`,
      data: { escalation_id: escalation.id, step: skip.step, pass: skip.pass, skipped: true },
    });
  if (!next) {
    const passes = policy.repeat > 0 ? ` (${policy.repeat + 1} times)` : "";
    await endEscalation(
      engine,
      escalation,
      "exhausted",
      "exhausted",
      `Escalation exhausted: every step of “${policy.name}”${passes} ran and nobody acknowledged`,
    );
    return escalation;
  }

  const reached = await writeStepPages(engine, escalation, next);
  await appendTimelineEvent(engine, incident.id, {
    kind: "escalation",
    text: `${capitalised(stepLabel(policy, next.step, next.pass))} of “${policy.name}”: paging ${listed(reached)}`,
    data: { escalation_id: escalation.id, step: next.step, pass: next.pass },
  });
  const nextStepAt = new Date(now.getTime() + policy.steps[next.step]!.delay_minutes * 60_000);
  const [moved] = await db
    .update(escalations)
    .set({ step: next.step + 1, pass: next.pass, nextStepAt })
    .where(eq(escalations.id, escalation.id))
    .returning();
  await enqueueJob(
    db,
    STEP_JOB,
    { escalation_id: escalation.id },
    { jobKey: stepJobKey(escalation.id), runAt: nextStepAt, priority: pagingPriority.step },
  );
  return moved!;
}

/** The timeline line before a step: who asked for it, or how long nobody acknowledged the one before. */
async function announceMove(
  engine: Ctx,
  escalation: EscalationRow,
  incident: IncidentRow,
  policy: PolicyDefinition,
  trigger: StepTrigger,
): Promise<void> {
  // Where the run goes now, past the end of one pass into the next (or past the last).
  const wraps = escalation.step >= policy.steps.length;
  const upcoming = { step: wraps ? 0 : escalation.step, pass: escalation.pass + (wraps ? 1 : 0) };
  const left = upcoming.pass <= policy.repeat;
  if (trigger.manualBy) {
    await appendTimelineEvent(
      trigger.manualBy,
      incident.id,
      {
        kind: "escalation",
        text: `${trigger.manualBy.actor.name} escalated now: ${left ? stepLabel(policy, upcoming.step, upcoming.pass) : "no steps left"}`,
        data: { escalation_id: escalation.id, manual: true },
      },
      {
        audit: {
          action: "incident.escalate",
          resourceType: "incident",
          resourceId: incident.id,
          details: { ref: formatIncidentRef(incident.number), step: upcoming.step + 1, pass: upcoming.pass },
        },
      },
    );
  } else if ((escalation.step > 0 || escalation.pass > 0) && left) {
    const previous = policy.steps[escalation.step > 0 ? escalation.step - 1 : policy.steps.length - 1]!;
    await appendTimelineEvent(engine, incident.id, {
      kind: "escalation",
      text: `Nobody acknowledged in ${previous.delay_minutes} min: escalating to ${stepLabel(policy, upcoming.step, upcoming.pass)}`,
      data: { escalation_id: escalation.id },
    });
  }
}

/** Round robin turns with each run of the policy, so consecutive incidents go to different people. */
async function roundRobinTurn(ctx: Ctx, escalation: EscalationRow): Promise<number> {
  if (!escalation.policyId) return 0;
  const [row] = await ctx.db
    .select({ n: count() })
    .from(escalations)
    .where(eq(escalations.policyId, escalation.policyId));
  return Math.max(0, (row?.n ?? 1) - 1);
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
