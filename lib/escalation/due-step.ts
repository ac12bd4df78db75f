// The step job's work: lock the incident's escalation, check the run is still active and its step due
// (a replaced or stale job finds otherwise and returns), and run the step.
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { escalations, incidents } from "@/db/schema";
import { inTransaction, systemActor } from "../context";
import { enqueueJob } from "../jobs/enqueue";
import { pagingPriority, STEP_JOB, stepJobKey } from "./job-names";
import { lockIncidentEscalation } from "./locks";
import { ENGINE_ACTOR, runStep } from "./run-step";

/** A job a little early (clock skew between worker and database) still runs its step. */
const EARLY_TOLERANCE_MS = 1000;

export type StepOutcome = "ran" | "not-due" | "inactive" | "not-open";

export async function runDueStep(db: DbOrTx, escalationId: string): Promise<StepOutcome> {
  const now = new Date();
  return inTransaction({ db, actor: systemActor(ENGINE_ACTOR), now }, async (tx) => {
    const [found] = await tx.db
      .select({ incidentId: escalations.incidentId })
      .from(escalations)
      .where(eq(escalations.id, escalationId));
    if (!found) return "inactive";
    await lockIncidentEscalation(tx.db, found.incidentId);
    const [run] = await tx.db.select().from(escalations).where(eq(escalations.id, escalationId));
    if (!run || run.state !== "active" || !run.nextStepAt) return "inactive";
    if (run.nextStepAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) {
      await enqueueJob(
        tx.db,
        STEP_JOB,
        { escalation_id: run.id },
        { jobKey: stepJobKey(run.id), runAt: run.nextStepAt, priority: pagingPriority.step },
      );
      return "not-due";
    }
    const [incident] = await tx.db.select().from(incidents).where(eq(incidents.id, run.incidentId));
    // Acknowledged or resolved: the event's own job stops the run and says by whom.
    if (!incident || incident.status !== "open") return "not-open";
    await runStep(tx, run, incident);
    return "ran";
  });
}
