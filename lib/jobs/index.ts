// Every job the worker runs. Remediation and postmortem jobs join this list as they land.
import { deliverNotificationJob, planNotificationsJob } from "../notifications/notification-jobs";
import { incidentChannelJob } from "../slack-bot/incident-channel-job";
import type { JobDefinition } from "./job-definition";

export const jobDefinitions: JobDefinition[] = [planNotificationsJob as JobDefinition, deliverNotificationJob as JobDefinition, incidentChannelJob as JobDefinition];
