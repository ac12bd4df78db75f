// A background job: its name, the zod schema of its payload, how often to try, and the handler. The
// worker turns these into graphile-worker tasks; verbs enqueue them inside their own transaction.
import type { z } from "zod";
import type { Logger } from "../observability/logger";

export interface JobContext {
  jobId: string;
  attempt: number;
  maxAttempts: number;
  logger: Logger;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  maxAttempts: number;
  handler: (payload: z.output<S>, job: JobContext) => Promise<void>;
}

export const defineJob = <S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> => definition;
