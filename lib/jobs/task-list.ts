// Job definitions -> graphile-worker tasks: each payload is checked against its zod schema first, and
// one that can never be valid is logged and dropped rather than retried.
import type { Task, TaskList } from "graphile-worker";
import { fieldErrorsOf } from "../input";
import type { JobDefinition, JobServices } from "./job-definition";

export function buildTaskList(
  definitions: readonly JobDefinition[],
  services: JobServices,
  onOutcome: (task: string, outcome: "ok" | "error" | "invalid") => void = () => {},
): TaskList {
  const { logger } = services;
  const taskList: TaskList = {};
  for (const definition of definitions) {
    const task: Task = async (rawPayload, helpers) => {
      const parsed = definition.payload.safeParse(rawPayload);
      if (!parsed.success) {
        logger.error(
          { job: definition.name, jobId: helpers.job.id, errors: fieldErrorsOf(parsed.error) },
          "invalid job payload; dropped",
        );
        onOutcome(definition.name, "invalid");
        return;
      }
      try {
        await definition.handler(parsed.data, {
          jobId: helpers.job.id,
          attempt: helpers.job.attempts,
          maxAttempts: helpers.job.max_attempts,
          db: services.db,
          config: services.config,
          logger: logger.child({ job: definition.name, jobId: helpers.job.id }),
        });
        onOutcome(definition.name, "ok");
      } catch (error) {
        onOutcome(definition.name, "error");
        throw error;
      }
    };
    taskList[definition.name] = task;
  }
  return taskList;
}
