// The wrapper every API route handler goes through: request id, authentication, the verb's context,
// error mapping to problem+json, a log line and the duration metric. Route files stay three lines long.
import { randomUUID } from "node:crypto";
import { authenticateApiToken } from "../auth/api-tokens";
import { authenticateSession, sessionSettingsFrom } from "../auth/session";
import type { Actor, Ctx } from "../context";
import { isDatabaseUnavailable } from "../database-errors";
import { AppError, asAppError, isAppError } from "../errors";
import { getMetrics } from "../observability/metrics";
import type { Logger } from "../observability/logger";
import { getRuntime } from "../runtime";
import { internalErrorResponse, problemResponse } from "./problem";
import { bearerToken, clientIp } from "./request";

export interface RouteArgs<P> {
  req: Request;
  ctx: Ctx;
  params: P;
  requestId: string;
  log: Logger;
}

type RouteSegment<P> = { params: Promise<P> };

/**
 * `route` is the template used as the metric label and in logs, e.g. "GET /api/v1/incidents/{ref}".
 * Every API route requires an authenticated actor; what that actor may do is the verb's business.
 */
export function apiRoute<P extends Record<string, string> = Record<string, never>>(
  route: string,
  handler: (args: RouteArgs<P>) => Promise<Response>,
) {
  return wrapRoute<P, RouteArgs<P>>(
    route,
    async (req, base) => ({ ...base, ctx: { db: base.db, actor: await authenticate(req, base.now), now: base.now } }),
    handler,
  );
}

export interface UnauthenticatedRouteArgs<P> {
  req: Request;
  db: Ctx["db"];
  now: Date;
  params: P;
  requestId: string;
  log: Logger;
}

/**
 * For doors that prove the caller themselves — vendor webhooks signed with a shared secret. The handler
 * must verify the signature before it reads or changes anything.
 */
export function signedWebhookRoute<P extends Record<string, string> = Record<string, never>>(
  route: string,
  handler: (args: UnauthenticatedRouteArgs<P>) => Promise<Response>,
) {
  return wrapRoute<P, UnauthenticatedRouteArgs<P>>(route, async (_req, base) => base, handler);
}

/** Request id, error mapping to problem+json, a log line and the duration metric, for every door. */
function wrapRoute<P, A>(
  route: string,
  prepare: (req: Request, base: UnauthenticatedRouteArgs<P>) => Promise<A>,
  handler: (args: A) => Promise<Response>,
) {
  return async (req: Request, segment?: RouteSegment<P>): Promise<Response> => {
    const started = performance.now();
    const requestId = req.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
    const runtime = getRuntime();
    const log = runtime.logger.child({ req_id: requestId, route });
    const instance = new URL(req.url).pathname;
    let response: Response;
    try {
      const params = (segment ? await segment.params : {}) as P;
      const base = { req, db: runtime.database.db, now: new Date(), params, requestId, log };
      response = await handler(await prepare(req, base));
    } catch (error) {
      response = errorResponse(error, { instance, requestId }, log);
    }
    // A write may have changed incidents: its caller's next read must not be a page kept from before it,
    // and the NOTIFY that drops those pages may come back after this answer (incident-read-cache.ts).
    if (!SAFE_METHODS.has(req.method)) runtime.incidentReads?.dropAll();
    response.headers.set("x-request-id", requestId);
    if (response.status === 500) getMetrics().httpRequestsFailed.inc({ route });
    const seconds = (performance.now() - started) / 1000;
    const method = req.method;
    getMetrics().httpRequestDuration.observe({ method, route, status: String(response.status) }, seconds);
    log.info({ method, status: response.status, ms: Math.round(seconds * 1000) }, "request");
    return response;
  };
}

export function errorResponse(error: unknown, extra: { instance?: string; requestId?: string }, log: Logger): Response {
  if (isAppError(error)) return problemResponse(error, extra);
  if (isDatabaseUnavailable(error)) {
    log.warn({ err: error }, "database unavailable");
    return problemResponse(new AppError("unavailable", "The database is unavailable; retry shortly"), extra);
  }
  const refused = asAppError(error);
  if (refused) {
    log.warn({ err: error }, "value refused by the database");
    return problemResponse(refused, extra);
  }
  log.error({ err: error }, "unhandled error");
  return internalErrorResponse(extra);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A Bearer API token, else the browser's session cookie; cookie-borne writes must come from our origin. */
async function authenticate(req: Request, now: Date): Promise<Actor> {
  const { config, database, tokenActors } = getRuntime();
  const header = req.headers.get("authorization");
  const ip = clientIp(req);
  if (header) {
    const token = bearerToken(header);
    if (!token) throw new AppError("unauthenticated", "The Authorization header must be `Bearer <token>`");
    const actor = await authenticateApiToken(database.db, token, now, ip, tokenActors);
    if (!actor) throw new AppError("unauthenticated", "The API token is unknown, revoked or expired");
    return actor;
  }
  const sessions = sessionSettingsFrom(config);
  const actor = sessions ? await authenticateSession(database.db, req.headers, sessions, ip, now) : null;
  if (!actor) throw new AppError("unauthenticated", "Sign in, or send an API token as `Authorization: Bearer <token>`");
  // Cross-site request forgery: a browser attaches the cookie to any site's request, but it always says
  // where a POST comes from. Only our own pages may write with a session.
  if (!SAFE_METHODS.has(req.method) && req.headers.get("origin") !== new URL(config.appUrl).origin) {
    throw new AppError(
      "forbidden",
      "Cross-origin request refused: writes with a session cookie must come from Vigil's own pages",
    );
  }
  return actor;
}

export function json(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return jsonText(JSON.stringify(data), init);
}

/** An answer whose JSON is already written (by PostgreSQL, for the hot reads). */
export function jsonText(text: string, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(text, {
    status: init.status ?? 200,
    headers: { "content-type": "application/json", ...init.headers },
  });
}
