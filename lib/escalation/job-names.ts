// The escalation engine's job names and keys, apart from the handlers so the event table
// (lib/jobs/event-jobs.ts) and verbs can name them without importing the engine.

/** Runs an escalation's next step when it is due: payload `{ escalation_id }`. */
export const STEP_JOB = "escalation.step";
/** Sends a person's (or a Slack channel's) due pages through one method: payload `{ user_id, method, address }`. */
export const SEND_JOB = "escalation.send";
/** Follows an incident's timeline: starts, stops, or re-rates its escalation. Payload `{ event_id }`. */
export const FOLLOW_JOB = "escalation.follow";

export const stepJobKey = (escalationId: string) => `escalation:${escalationId}`;
/** One send job per person and method (per channel for a step's Slack channel post). */
export const sendJobKey = (recipient: { userId: string | null; method: string; address: string }) =>
  recipient.userId ? `page:${recipient.userId}:${recipient.method}` : `page:channel:${recipient.address}`;

/** Timeline kinds that start a run, stop it, or change its urgency. */
export const startKinds = new Set(["created", "reopened", "unmuted"]);
export const stopKinds = new Set(["acknowledged", "resolved", "status_changed"]);
export const urgencyKinds = new Set(["severity_changed", "updated"]);

/**
 * The engine's jobs run before any other due job (graphile-worker's default priority is 0, lower first),
 * and a page that is due before a step or a new run: during an alert storm a person is woken without
 * waiting behind the backlog of channel messages, remediation triggers and drafts.
 */
export const pagingPriority = { send: -30, step: -20, follow: -10 } as const;
