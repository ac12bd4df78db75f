// The one error type of the domain core. Doors map `code` to their own vocabulary (HTTP status, Slack
// reply); anything that is not an AppError is a bug and is reported as a generic failure.
import { unstorableValue } from "./database-errors";

export const errorCodes = [
  "not_found",
  "forbidden",
  "unauthenticated",
  "conflict",
  "invalid",
  "rate_limited",
  "unavailable",
  "too_large",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** One failing input field: `path` is dotted (`labels.team`), `message` is for people. */
export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: FieldError[];

  constructor(code: ErrorCode, message: string, options: { fieldErrors?: FieldError[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = options.fieldErrors ?? [];
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} was not found`);
export const conflict = (message: string) => new AppError("conflict", message);
export const invalid = (message: string, fieldErrors: FieldError[] = []) =>
  new AppError("invalid", message, { fieldErrors });

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * The error as the person who asked should hear it: an AppError as it is, a value PostgreSQL refused (a
 * NUL character, year 0, …) as `invalid`; null for the rest (a bug, an outage), which they cannot fix.
 */
export function asAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  const unstorable = unstorableValue(error);
  if (!unstorable) return null;
  const fieldErrors = [{ path: unstorable.column ?? "(body)", message: unstorable.message }];
  return new AppError("invalid", `A value in the request cannot be stored: ${unstorable.message}`, {
    fieldErrors,
    cause: error,
  });
}
