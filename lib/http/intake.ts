// What every alert-source door shares: the ingestion settings of this process, finding the integration
// whose secret the sender presented, and the integration's event log of what came in and what Vigil did.
import { authenticateApiToken } from "../auth/api-tokens";
import type { Ctx } from "../context";
import { AppError, isAppError } from "../errors";
import { integrationOfToken } from "../intake/integrations";
import type { IntegrationKind } from "../intake/integration-options";
import { queueIntegrationEvent } from "../intake/integration-event-log";
import { receiveIntake, type IntakeAction, type IntakeOutcome, type IntegrationEventRecord } from "../intake/receive";
import { ingestionSettings } from "../intake/ingestion-settings";
import type { Logger } from "../observability/logger";
import { getRuntime } from "../runtime";
import type { IntegrationRow } from "@/db/schema";

export interface IntakeCaller {
  integration: IntegrationRow;
  ctx: Ctx;
}

/** The integration of this kind whose live secret this is; else `unauthenticated`. */
export async function authenticateIntegration(
  base: { db: Ctx["db"]; now: Date },
  secret: string | null | undefined,
  kind: IntegrationKind,
  ip: string | null,
): Promise<IntakeCaller> {
  const { tokenActors } = getRuntime();
  const actor = secret ? await authenticateApiToken(base.db, secret.trim(), base.now, ip, tokenActors) : null;
  const integration =
    actor?.type === "apiToken"
      ? await integrationOfToken(base.db, actor.tokenId, tokenActors, base.now.getTime())
      : undefined;
  if (!actor || !integration || integration.kind !== kind)
    throw new AppError("unauthenticated", `The key is not the secret of a live ${kind} integration`);
  return { integration, ctx: { db: base.db, actor, now: base.now } };
}

/** Hands the action to the ingestion core and logs it on the integration; the log never fails the request. */
export async function receiveAndLog(
  caller: IntakeCaller,
  event: { action: string; intake: IntakeAction | null; payload: unknown; status: number; log: Logger },
): Promise<IntakeOutcome> {
  const { ctx, integration } = caller;
  const outcome = event.intake
    ? await receiveIntake(ctx, integration, event.intake, ingestionSettings())
    : { text: "nothing to do", incidentsOpened: 0 };
  logIntegrationEvent(caller, event.log, {
    action: event.action,
    status: event.status,
    outcome: outcome.text,
    incidentsOpened: outcome.incidentsOpened,
    payload: event.payload,
  });
  return outcome;
}

/**
 * Reads the body into an action (the reader throws `invalid` for what it cannot read) and hands it on;
 * either way the integration's log records it.
 */
export async function receiveOrRefuse(
  caller: IntakeCaller,
  event: { payload: unknown; status: number; log: Logger; read: () => { action: string; intake: IntakeAction | null } },
): Promise<IntakeOutcome> {
  const { payload, status, log } = event;
  try {
    return await receiveAndLog(caller, { ...event.read(), payload, status, log });
  } catch (error) {
    logRefusal(caller, log, { action: "refused", payload, error });
    throw error;
  }
}

/** A refused body is logged too ("why didn't it page?"); the error then goes on to the sender. */
export function logRefusal(
  caller: IntakeCaller,
  log: Logger,
  event: { action: string; payload: unknown; error: unknown },
): void {
  if (!isAppError(event.error) || event.error.code !== "invalid") return;
  const fields = event.error.fieldErrors.map((f) => `${f.path}: ${f.message}`).join("; ");
  logIntegrationEvent(caller, log, {
    action: event.action,
    status: 400,
    outcome: `refused: ${event.error.message}${fields ? ` (${fields})` : ""}`,
    payload: event.payload,
  });
}

/** Queues the entry on the integration's log (written within a moment, never failing the request). */
export function logIntegrationEvent(
  { ctx, integration }: IntakeCaller,
  log: Logger,
  event: IntegrationEventRecord,
): void {
  queueIntegrationEvent(ctx.db, integration, ctx.now, event, log);
}
