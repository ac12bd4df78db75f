// Every job the worker runs. Notifications, remediation and postmortem jobs join this list as they land.
import type { JobDefinition } from "./job-definition";

export const jobDefinitions: JobDefinition[] = [];
