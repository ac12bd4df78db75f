// Turns zod's verdict on untrusted input into an `invalid` AppError that names every failing field.
import type { z } from "zod";
import { AppError, type FieldError } from "./errors";

export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = "input"): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const fieldErrors = fieldErrorsOf(result.error);
    const summary = fieldErrors.map((f) => `${f.path}: ${f.message}`).join("; ");
    throw new AppError("invalid", `Invalid ${what}: ${summary}`, { fieldErrors });
  }
  return result.data;
}
