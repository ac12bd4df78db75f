// Resolving an incident asks the worker for its postmortem draft: the `resolved` event enqueues it in the
// statement that records it (lib/jobs/event-jobs.ts), so a rolled-back resolve drafts nothing and a
// committed one cannot miss its draft. Kept apart from the generation so that table loads nothing else.

export const DRAFT_JOB = "postmortem.draft";

/**
 * The draft is written a little after the resolve, not at once: the resolution's own messages (PagerDuty
 * resolved, the Slack card updated) land on the timeline first, and an incident that flaps straight back
 * open is not drafted for nothing (the job key keeps one draft queued per incident).
 */
export const DRAFT_SETTLE_MS = 10_000;
