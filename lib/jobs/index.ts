// Every job the worker runs.
import { refreshAnalyticsJob } from "../analytics/refresh-answers-job";
import { windowEndJob } from "../maintenance/window-end-job";
import { deliverNotificationJob, planNotificationsJob } from "../notifications/notification-jobs";
import { createTicketJob, draftPostmortemJob } from "../postmortems/postmortem-jobs";
import { executeRemediationJob, triggerRemediationJob } from "../remediation/remediation-jobs";
import { askApprovalJob } from "../slack-bot/approval-request";
import { incidentChannelJob } from "../slack-bot/incident-channel-job";
import { testNotificationJob } from "../oncall/test-notification-job";
import { heartbeatCheckJob } from "../intake/heartbeat";
import { handoffReminderJob, handoffSweepJob } from "../oncall/handoff-reminders";
import { escalationStepJob, followEscalationJob, sendPagesJob } from "../escalation/escalation-jobs";
import type { JobDefinition } from "./job-definition";

export const jobDefinitions: readonly JobDefinition[] = [
  planNotificationsJob,
  deliverNotificationJob,
  incidentChannelJob,
  draftPostmortemJob,
  createTicketJob,
  triggerRemediationJob,
  executeRemediationJob,
  askApprovalJob,
  refreshAnalyticsJob,
  testNotificationJob,
  windowEndJob,
  heartbeatCheckJob,
  handoffSweepJob,
  handoffReminderJob,
  followEscalationJob,
  escalationStepJob,
  sendPagesJob,
];
