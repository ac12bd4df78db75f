// The remediation jobs the worker runs: trigger (an incident event -> automatic requests) and execute
// (one approved run through the executor). Asking for approval in Slack is the Slack bot's job
// (lib/slack-bot/approval-request.ts).
import { z } from "zod";
import { defineJob } from "../jobs/job-definition";
import { createExecutor, type RemediationExecutor } from "./executor";
import { executeRemediationRun } from "./execute-remediation-run";
import type { Config } from "../env";
import { EXECUTE_JOB, TRIGGER_JOB } from "./job-names";
import { remediationSettingsFrom } from "./settings";
import { triggerAutomaticRuns } from "./trigger-automatic-runs";

let executor: { key: string; value: RemediationExecutor } | undefined;

/** One executor per configuration (a test may install another runtime). */
function executorFor(config: Config): RemediationExecutor {
  const key = JSON.stringify([config.kubernetes.source, config.appUrl]);
  if (executor?.key !== key)
    executor = { key, value: createExecutor({ kubernetes: config.kubernetes.source, appUrl: config.appUrl }) };
  return executor.value;
}

export const triggerRemediationJob = defineJob({
  name: TRIGGER_JOB,
  payload: z.object({ event_id: z.number().int().positive() }),
  maxAttempts: 10,
  async handler({ event_id }, job) {
    await triggerAutomaticRuns(job.db, event_id, remediationSettingsFrom(job.config), new Date(), job.logger);
  },
});

export const executeRemediationJob = defineJob({
  name: EXECUTE_JOB,
  payload: z.object({ run_id: z.uuid() }),
  maxAttempts: 10,
  async handler({ run_id }, job) {
    const outcome = await executeRemediationRun(
      job.db,
      run_id,
      executorFor(job.config),
      remediationSettingsFrom(job.config),
      job.logger,
    );
    job.logger.info({ run: run_id, outcome }, "remediation run");
  },
});
