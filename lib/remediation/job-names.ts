// The remediation jobs, by name: kept apart so the incident core can enqueue the trigger without loading
// the remediation machinery.

/** A timeline event that may start automatic actions: an incident opened or reopened, alerts joined it. */
export const TRIGGER_JOB = "remediation.trigger";
export const triggerEventKinds = new Set(["created", "reopened", "alerts_fired"]);
/** Runs one approved run through the executor. */
export const EXECUTE_JOB = "remediation.execute";
/** Posts Approve / Reject buttons for a run waiting for approval in the incident's Slack thread. */
export const ASK_APPROVAL_JOB = "remediation.ask_approval";
