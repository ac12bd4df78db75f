// Resolving an incident asks the worker for its postmortem draft, in the transaction that resolves it:
// a rolled-back resolve drafts nothing, a committed one cannot miss its draft. Kept apart from the
// generation itself so the incident lifecycle depends on nothing but the queue.
import type { DbOrTx } from "@/db/client";
import { enqueueJob } from "../jobs/enqueue";

export const DRAFT_JOB = "postmortem.draft";

/**
 * The draft is written a little after the resolve, not at once: the resolution's own messages (PagerDuty
 * resolved, the Slack card updated) land on the timeline first, and an incident that flaps straight back
 * open is not drafted for nothing (the job key keeps one draft queued per incident).
 */
export const DRAFT_SETTLE_MS = 10_000;

export async function enqueuePostmortemDraft(tx: DbOrTx, incidentId: string): Promise<void> {
  // The queue runs on the wall clock, whatever time the verb's context says it is.
  await enqueueJob(
    tx,
    DRAFT_JOB,
    { incident_id: incidentId },
    { jobKey: `postmortem-draft:${incidentId}`, maxAttempts: 10, runAt: new Date(Date.now() + DRAFT_SETTLE_MS) },
  );
}
