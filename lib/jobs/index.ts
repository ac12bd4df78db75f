// Every job the worker runs. Remediation and postmortem jobs join this list as they land.
import { deliverNotificationJob, planNotificationsJob } from "../notifications/notification-jobs";
import type { JobDefinition } from "./job-definition";

export const jobDefinitions: JobDefinition[] = [planNotificationsJob as JobDefinition, deliverNotificationJob as JobDefinition];
