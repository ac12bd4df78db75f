// Integrations: an alert source as an object (kind, name, defaults, options) whose secret is an API token
// with scope alerts:write, created, rotated and revoked with it. Admins manage them; each change is audited.
import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { apiTokens, integrationEvents, integrations, type IntegrationRow } from "@/db/schema";
import { insertApiToken, markTokenRevoked } from "../auth/api-tokens";
import { authorize } from "../auth/permissions";
import { announceTokenChange, type TokenActorCache } from "../auth/token-actor-cache";
import { recordAudit } from "../audit/record-audit";
import { inTransaction, type VerbArgs } from "../context";
import { invalid, notFound } from "../errors";
import { Severity } from "../incidents/schemas";
import { parseInput } from "../input";
import { policyNames } from "../oncall/policies";
import { scheduleHeartbeatCheck } from "./heartbeat";
import { flushIntegrationEvents } from "./integration-event-log";
import { integrationKinds, optionsOf, type IntegrationKind } from "./integration-options";

const Name = z.string().trim().min(1).max(200);

const IntegrationFields = {
  name: z.string().trim().min(1).max(100),
  default_service: Name.nullish().describe("Service of its incidents when the alert names none"),
  default_team: Name.nullish().describe("Team of its incidents when the alert names none"),
  default_severity: Severity.nullish().describe("Severity when the alert carries none"),
  escalation_policy: Name.nullish().describe("The escalation policy its incidents feed, by name"),
  group_by: z
    .enum(["dedup_key", "group", "component", "class"])
    .optional()
    .describe("PagerDuty: one incident per dedup_key (default), or per payload.group / component / class"),
  interval_minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_080)
    .optional()
    .describe("Heartbeat: a ping is expected at least this often"),
  hmac_secret: z
    .string()
    .min(8)
    .max(500)
    .nullish()
    .describe("Grafana: the contact point's HMAC-SHA256 signing secret; its signature is then required"),
  timestamp_header: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]+$/)
    .max(100)
    .nullish()
    .describe("Grafana: the header carrying the signed timestamp, when the contact point sets one"),
};

export const CreateIntegrationInput = z
  .strictObject({ kind: z.enum(integrationKinds), ...IntegrationFields })
  .refine((v) => v.kind !== "heartbeat" || v.interval_minutes !== undefined, {
    message: "a heartbeat needs interval_minutes",
    path: ["interval_minutes"],
  });
export type CreateIntegrationInput = z.input<typeof CreateIntegrationInput>;

export const UpdateIntegrationBody = z.strictObject(
  Object.fromEntries(Object.entries(IntegrationFields).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof IntegrationFields]: z.ZodOptional<(typeof IntegrationFields)[K]>;
  },
);

export const IntegrationSummary = z.object({
  id: z.uuid(),
  kind: z.enum(integrationKinds),
  name: z.string(),
  default_service: z.string().nullable(),
  default_team: z.string().nullable(),
  default_severity: Severity.nullable(),
  escalation_policy: z.string().nullable(),
  group_by: z.string().nullable(),
  interval_minutes: z.number().int().nullable(),
  signed: z.boolean().describe("Grafana: an HMAC secret is set (never shown)"),
  timestamp_header: z.string().nullable(),
  secret_prefix: z.string().describe("The first characters of the secret, to tell them apart"),
  secret_revoked: z.boolean(),
  created_at: z.iso.datetime(),
  last_event_at: z.iso.datetime().nullable(),
  events_today: z.number().int(),
  incidents_opened_today: z.number().int(),
  last_ping_at: z.iso.datetime().nullable(),
});
export type IntegrationSummary = z.infer<typeof IntegrationSummary>;

export const IntegrationEvent = z.object({
  received_at: z.iso.datetime(),
  action: z.string(),
  status: z.number().int(),
  outcome: z.string(),
  incidents_opened: z.number().int(),
  payload: z.unknown(),
});
export type IntegrationEvent = z.infer<typeof IntegrationEvent>;

export type IntegrationDetail = IntegrationSummary & { recent_events: IntegrationEvent[] };

interface Stats {
  displayPrefix: string;
  revokedAt: Date | null;
  lastEventAt: Date | null;
  eventsToday: number;
  incidentsOpenedToday: number;
}

function toSummary(row: IntegrationRow, stats: Stats): IntegrationSummary {
  const options = optionsOf(row);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    default_service: row.defaultService,
    default_team: row.defaultTeam,
    default_severity: row.defaultSeverity,
    escalation_policy: row.escalationPolicy,
    group_by: row.kind === "pagerduty" ? (options.group_by ?? "dedup_key") : null,
    interval_minutes: options.interval_minutes ?? null,
    signed: !!options.hmac_secret,
    timestamp_header: options.timestamp_header ?? null,
    secret_prefix: stats.displayPrefix,
    secret_revoked: stats.revokedAt !== null,
    created_at: row.createdAt.toISOString(),
    last_event_at: stats.lastEventAt?.toISOString() ?? null,
    events_today: stats.eventsToday,
    incidents_opened_today: stats.incidentsOpenedToday,
    last_ping_at: row.lastPingAt?.toISOString() ?? null,
  };
}

const startOfUtcDay = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

async function readIntegrations(db: DbOrTx, now: Date, id?: string): Promise<IntegrationSummary[]> {
  const today = startOfUtcDay(now).toISOString();
  const rows = await db
    .select({
      row: integrations,
      displayPrefix: apiTokens.displayPrefix,
      revokedAt: apiTokens.revokedAt,
      lastEventAt: sql<
        string | null
      >`(select max(e.received_at) from ${integrationEvents} e where e.integration_id = ${integrations.id})`,
      eventsToday: sql<number>`(select count(*)::int from ${integrationEvents} e where e.integration_id = ${integrations.id} and e.received_at >= ${today}::timestamptz)`,
      incidentsOpenedToday: sql<number>`(select coalesce(sum(e.incidents_opened), 0)::int from ${integrationEvents} e where e.integration_id = ${integrations.id} and e.received_at >= ${today}::timestamptz)`,
    })
    .from(integrations)
    .innerJoin(apiTokens, eq(apiTokens.id, integrations.tokenId))
    .where(id ? eq(integrations.id, id) : undefined)
    .orderBy(integrations.kind, integrations.name);
  return rows.map((r) =>
    toSummary(r.row, {
      displayPrefix: r.displayPrefix,
      revokedAt: r.revokedAt,
      lastEventAt: r.lastEventAt ? new Date(r.lastEventAt) : null,
      eventsToday: r.eventsToday,
      incidentsOpenedToday: r.incidentsOpenedToday,
    }),
  );
}

export async function listIntegrations({ ctx }: VerbArgs<unknown>): Promise<IntegrationSummary[]> {
  authorize(ctx.actor, "integration.manage");
  await flushIntegrationEvents(ctx.db);
  return readIntegrations(ctx.db, ctx.now);
}

/** One integration with the last 50 payloads it received and what Vigil did with each. */
export async function getIntegration({ ctx, input }: VerbArgs<{ id: string }>): Promise<IntegrationDetail> {
  authorize(ctx.actor, "integration.manage");
  const { id } = parseInput(z.object({ id: z.uuid() }), input);
  await flushIntegrationEvents(ctx.db);
  const [summary] = await readIntegrations(ctx.db, ctx.now, id);
  if (!summary) throw notFound(`Integration ${id}`);
  const events = await ctx.db
    .select()
    .from(integrationEvents)
    .where(eq(integrationEvents.integrationId, id))
    .orderBy(desc(integrationEvents.receivedAt))
    .limit(50);
  return {
    ...summary,
    recent_events: events.map((e) => ({
      received_at: e.receivedAt.toISOString(),
      action: e.action,
      status: e.status,
      outcome: e.outcome,
      incidents_opened: e.incidentsOpened,
      payload: e.payload,
    })),
  };
}

const optionsFrom = (kind: IntegrationKind, input: z.output<typeof UpdateIntegrationBody>, base = {}) => {
  const options: Record<string, unknown> = { ...base };
  if (kind === "pagerduty" && input.group_by !== undefined) options.group_by = input.group_by;
  if (kind === "heartbeat" && input.interval_minutes !== undefined) options.interval_minutes = input.interval_minutes;
  if (kind === "grafana") {
    if (input.hmac_secret !== undefined) options.hmac_secret = input.hmac_secret;
    if (input.timestamp_header !== undefined) options.timestamp_header = input.timestamp_header;
  }
  return options;
};

/** Creates the integration and its secret (an alerts:write token), returned this once. */
export async function createIntegration({
  ctx,
  input,
}: VerbArgs<CreateIntegrationInput>): Promise<IntegrationSummary & { secret: string }> {
  authorize(ctx.actor, "integration.manage");
  const fields = parseInput(CreateIntegrationInput, input);
  return inTransaction(ctx, async (txCtx) => {
    await refuseUnknownPolicy(txCtx.db, fields.escalation_policy);
    const { row: token, token: secret } = await insertApiToken(txCtx, {
      name: `integration: ${fields.name}`,
      role: "responder",
      scope: "alerts:write",
      expiresAt: null,
    });
    const [row] = await txCtx.db
      .insert(integrations)
      .values({
        kind: fields.kind,
        name: fields.name,
        defaultService: fields.default_service ?? null,
        defaultTeam: fields.default_team ?? null,
        defaultSeverity: fields.default_severity ?? null,
        escalationPolicy: fields.escalation_policy ?? null,
        options: optionsFrom(fields.kind, fields),
        tokenId: token.id,
        createdById: ctx.actor.type === "user" ? ctx.actor.userId : null,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    if (!row) throw new Error("insert returned no integration");
    await recordAudit(txCtx, {
      action: "integration.create",
      resourceType: "integration",
      resourceId: row.id,
      details: { kind: row.kind, name: row.name },
    });
    // A heartbeat that never pings must page too.
    if (row.kind === "heartbeat") await scheduleHeartbeatCheck(txCtx.db, row, ctx.now);
    const [summary] = await readIntegrations(txCtx.db, ctx.now, row.id);
    return { ...summary!, secret };
  });
}

/** A policy name that names no policy is refused where it is written, never silently ignored (issue 20). */
async function refuseUnknownPolicy(db: DbOrTx, name: string | null | undefined): Promise<void> {
  if (!name || (await policyNames(db)).has(name.toLowerCase())) return;
  throw invalid(`No escalation policy is named "${name}"`, [
    { path: "escalation_policy", message: `no escalation policy is named "${name}"` },
  ]);
}

async function lockedIntegration(tx: DbOrTx, id: string): Promise<IntegrationRow> {
  const [row] = await tx.select().from(integrations).where(eq(integrations.id, id)).for("update");
  if (!row) throw notFound(`Integration ${id}`);
  return row;
}

export async function updateIntegration({
  ctx,
  input,
}: VerbArgs<{ id: string } & z.input<typeof UpdateIntegrationBody>>): Promise<IntegrationSummary> {
  authorize(ctx.actor, "integration.manage");
  const { id, ...rest } = (input ?? {}) as { id?: unknown };
  const { id: integrationId } = parseInput(z.object({ id: z.uuid() }), { id });
  const fields = parseInput(UpdateIntegrationBody, rest);
  return inTransaction(ctx, async (txCtx) => {
    const existing = await lockedIntegration(txCtx.db, integrationId);
    await refuseUnknownPolicy(txCtx.db, fields.escalation_policy);
    if (existing.kind === "heartbeat" && fields.interval_minutes === undefined && "interval_minutes" in fields)
      throw invalid("a heartbeat needs interval_minutes", [{ path: "interval_minutes", message: "required" }]);
    const [row] = await txCtx.db
      .update(integrations)
      .set({
        ...(fields.name !== undefined && { name: fields.name }),
        ...(fields.default_service !== undefined && { defaultService: fields.default_service }),
        ...(fields.default_team !== undefined && { defaultTeam: fields.default_team }),
        ...(fields.default_severity !== undefined && { defaultSeverity: fields.default_severity }),
        ...(fields.escalation_policy !== undefined && { escalationPolicy: fields.escalation_policy }),
        options: optionsFrom(existing.kind, fields, existing.options),
        updatedAt: ctx.now,
      })
      .where(eq(integrations.id, integrationId))
      .returning();
    const changed = Object.keys(fields).filter((k) => k !== "hmac_secret");
    await recordAudit(txCtx, {
      action: "integration.update",
      resourceType: "integration",
      resourceId: integrationId,
      details: { name: row!.name, changed: "hmac_secret" in fields ? [...changed, "hmac_secret"] : changed },
    });
    // Every process keeps the integration of a token for a few seconds: it is to read this one again.
    await announceTokenChange(txCtx.db, existing.tokenId);
    if (row!.kind === "heartbeat" && fields.interval_minutes !== undefined)
      await scheduleHeartbeatCheck(txCtx.db, row!, row!.lastPingAt ?? ctx.now);
    const [summary] = await readIntegrations(txCtx.db, ctx.now, integrationId);
    return summary!;
  });
}

/** A new secret for the integration; the old one stops working at once. */
export async function rotateIntegrationSecret({
  ctx,
  input,
}: VerbArgs<{ id: string }>): Promise<IntegrationSummary & { secret: string }> {
  authorize(ctx.actor, "integration.manage");
  const { id } = parseInput(z.object({ id: z.uuid() }), input);
  return inTransaction(ctx, async (txCtx) => {
    const existing = await lockedIntegration(txCtx.db, id);
    const { row: token, token: secret } = await insertApiToken(txCtx, {
      name: `integration: ${existing.name}`,
      role: "responder",
      scope: "alerts:write",
      expiresAt: null,
    });
    await txCtx.db.update(integrations).set({ tokenId: token.id, updatedAt: ctx.now }).where(eq(integrations.id, id));
    await markTokenRevoked(txCtx, existing.tokenId);
    await recordAudit(txCtx, {
      action: "integration.rotate_secret",
      resourceType: "integration",
      resourceId: id,
      details: { name: existing.name },
    });
    const [summary] = await readIntegrations(txCtx.db, ctx.now, id);
    return { ...summary!, secret };
  });
}

/** Deletes the integration and revokes its secret; the incidents it opened stay. */
export async function deleteIntegration({ ctx, input }: VerbArgs<{ id: string }>): Promise<{ id: string }> {
  authorize(ctx.actor, "integration.manage");
  const { id } = parseInput(z.object({ id: z.uuid() }), input);
  return inTransaction(ctx, async (txCtx) => {
    const existing = await lockedIntegration(txCtx.db, id);
    await txCtx.db.delete(integrations).where(eq(integrations.id, id));
    await markTokenRevoked(txCtx, existing.tokenId);
    await recordAudit(txCtx, {
      action: "integration.delete",
      resourceType: "integration",
      resourceId: id,
      details: { kind: existing.kind, name: existing.name },
    });
    return { id };
  });
}

/**
 * The integration whose secret this live token is, if any; through the process's token cache when given
 * one (a change to the integration announces its token, as a revocation does).
 */
export async function integrationOfToken(
  db: DbOrTx,
  tokenId: string,
  cache?: TokenActorCache,
  nowMs = Date.now(),
): Promise<IntegrationRow | undefined> {
  const cached = cache?.getIntegration(tokenId, nowMs);
  if (cached !== undefined) return cached ?? undefined;
  const generation = cache?.generation() ?? null;
  const [row] = await db.select().from(integrations).where(eq(integrations.tokenId, tokenId)).limit(1);
  cache?.putIntegration(tokenId, row ?? null, generation, nowMs);
  return row;
}
