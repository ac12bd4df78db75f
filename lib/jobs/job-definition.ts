// A background job: its name, the zod schema of its payload, how often to try, and the handler. The
// worker turns these into graphile-worker tasks; verbs enqueue them inside their own transaction.
import type { z } from "zod";
import type { Database } from "@/db/client";
import type { Config } from "../env";
import type { Logger } from "../observability/logger";

/** What a handler is given besides its payload: the worker's database and settings, and its own logger. */
export interface JobContext {
  jobId: string;
  attempt: number;
  maxAttempts: number;
  logger: Logger;
  /** The worker's pool: a handler opens its own transactions on it (`inTransaction`). */
  db: Database;
  config: Config;
}

/** What the worker hands every task it builds: `JobContext` without the per-job fields. */
export type JobServices = Pick<JobContext, "db" | "config" | "logger">;

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  maxAttempts: number;
  // A method, not a function property: so any job fits the worker's `JobDefinition[]` table without a cast
  // (method parameters are checked bivariantly). Safe, because the task list parses with `payload` first.
  handler(payload: z.output<S>, job: JobContext): Promise<void>;
}

export const defineJob = <S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> => definition;
