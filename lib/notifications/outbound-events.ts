// Which timeline events reach the outside world, and the jobs that carry them there. Kept apart so the
// incident core can enqueue without depending on the notification machinery.

/** Timeline kinds that reach the outside world. Delivery outcomes are not among them: no loops. */
export const outboundEventKinds = new Set([
  "created",
  "acknowledged",
  "status_changed",
  "resolved",
  "reopened",
  "note",
  "severity_changed",
  "updated",
  "alerts_fired",
  "alerts_resolved",
  // The postmortem's link, in the incident's Slack thread, when the draft is ready and when it is published.
  "postmortem_drafted",
  "postmortem_published",
  // Remediation decisions, approvals and results, as replies in the incident's Slack thread.
  "remediation",
  // A maintenance window or snooze ended while the incident was unresolved: the paging it held back starts.
  "unmuted",
]);

export const PLAN_JOB = "notify.plan";
export const DELIVER_JOB = "notify.deliver";
