// Errors as RFC 9457 problem documents. The status table is exhaustive over the AppError codes, so a new
// code cannot ship without an HTTP meaning. Unexpected errors say nothing about their cause.
import { AppError, type ErrorCode, type FieldError } from "../errors";

const statusOf: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  too_large: 413,
};

const titleOf: Record<ErrorCode, string> = {
  invalid: "Invalid request",
  unauthenticated: "Authentication required",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  rate_limited: "Too many requests",
  unavailable: "Service unavailable",
  too_large: "Content too large",
};

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  request_id?: string;
  errors?: FieldError[];
}

export function problemResponse(error: AppError, extra: { instance?: string; requestId?: string } = {}): Response {
  const status = statusOf[error.code];
  const body: ProblemDocument = {
    type: `urn:vigil:problem:${error.code}`,
    title: titleOf[error.code],
    status,
    detail: error.message,
    ...(extra.instance ? { instance: extra.instance } : {}),
    ...(extra.requestId ? { request_id: extra.requestId } : {}),
    ...(error.fieldErrors.length ? { errors: error.fieldErrors } : {}),
  };
  const headers = new Headers({ "content-type": "application/problem+json" });
  if (error.code === "unauthenticated") headers.set("www-authenticate", 'Bearer realm="vigil"');
  if (error.code === "unavailable" || error.code === "rate_limited") headers.set("retry-after", "5");
  return new Response(JSON.stringify(body), { status, headers });
}

export function internalErrorResponse(extra: { instance?: string; requestId?: string } = {}): Response {
  const body: ProblemDocument = {
    type: "urn:vigil:problem:internal",
    title: "Internal server error",
    status: 500,
    detail: "Something went wrong on our side. It has been logged; quote the request id when you report it.",
    ...(extra.instance ? { instance: extra.instance } : {}),
    ...(extra.requestId ? { request_id: extra.requestId } : {}),
  };
  return new Response(JSON.stringify(body), { status: 500, headers: { "content-type": "application/problem+json" } });
}

export { AppError };
