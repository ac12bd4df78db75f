// The worker process: graphile-worker running the job definitions from lib/jobs. No logic lives here.
import { Logger as WorkerLogger, run, type Task, type TaskList } from "graphile-worker";
import { loadConfig, requireDatabaseUrl } from "@/lib/env";
import { fieldErrorsOf } from "@/lib/input";
import { jobDefinitions } from "@/lib/jobs";
import { createLogger } from "@/lib/observability/logger";

const config = loadConfig();
const logger = createLogger(config.logLevel, "vigil-worker");

const taskList: TaskList = {};
for (const definition of jobDefinitions) {
  const task: Task = async (rawPayload, helpers) => {
    const parsed = definition.payload.safeParse(rawPayload);
    if (!parsed.success) {
      // A payload that can never be valid is not worth retrying: log it and let the job complete.
      logger.error({ job: definition.name, jobId: helpers.job.id, errors: fieldErrorsOf(parsed.error) }, "invalid job payload; dropped");
      return;
    }
    await definition.handler(parsed.data, {
      jobId: helpers.job.id,
      attempt: helpers.job.attempts,
      maxAttempts: helpers.job.max_attempts,
      logger: logger.child({ job: definition.name, jobId: helpers.job.id }),
    });
  };
  taskList[definition.name] = task;
}

const runner = await run({
  connectionString: requireDatabaseUrl(config),
  concurrency: 8,
  pollInterval: 2000,
  taskList,
  parsedCronItems: [],
  logger: new WorkerLogger((scope) => (level, message, meta) => {
    const method = level === "error" ? "error" : level === "warning" ? "warn" : level === "debug" ? "debug" : "info";
    logger[method]({ ...scope, ...meta }, message);
  }),
  // graphile-worker handles SIGINT/SIGTERM itself: it stops taking jobs, lets running ones finish, exits.
  noHandleSignals: false,
});
logger.info({ tasks: Object.keys(taskList) }, "worker started");
await runner.promise;
logger.info("worker stopped");
