// What an integration's door hands the ingestion core, and the record of what came of it. Every door
// (PagerDuty, Opsgenie, Grafana, webhook, heartbeat, Alertmanager) reads its vendor's body into one of
// these actions; dedup, grouping, severity, auto-resolve, reopening and routing then happen once, in
// lib/alerts/ingest-alertmanager-payload.ts.
import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { alerts, incidents, integrationEvents, type IntegrationRow } from "@/db/schema";
import { indexable, type AlertBatch } from "../alerts/alertmanager-payload";
import { ingestAlertBatch, type IngestionSettings, type IngestionSummary } from "../alerts/ingest-alertmanager-payload";
import { authorize } from "../auth/permissions";
import { inTransaction, type Ctx } from "../context";
import { moveIncident } from "../incidents/lifecycle";
import { formatIncidentRef } from "../incidents/ref";
import { recordIncidentTransitions } from "../observability/incident-metrics";

export type IntakeAction =
  | { type: "alerts"; batch: AlertBatch }
  /** The sender names its alert by key only (PagerDuty's dedup_key, Opsgenie's alias). */
  | { type: "acknowledge"; fingerprint: string }
  | { type: "resolve"; fingerprint: string }
  | { type: "update"; fingerprint: string; annotations: Record<string, string> };

export interface IntakeOutcome {
  /** What Vigil did, for the integration's event log. */
  text: string;
  incidentsOpened: number;
  summary?: IngestionSummary;
}

/** An alert named by a sender's key: scoped to the integration, so two senders' keys never meet. */
export const keyedFingerprint = (integration: Pick<IntegrationRow, "id">, key: string) =>
  indexable(`${integration.id}:${key}`);

export async function receiveIntake(
  ctx: Ctx,
  integration: IntegrationRow,
  action: IntakeAction,
  settings: IngestionSettings,
): Promise<IntakeOutcome> {
  authorize(ctx.actor, "alert.ingest");
  switch (action.type) {
    case "alerts": {
      const batch = { ...withDefaults(action.batch, integration, settings), integrationId: integration.id };
      const summary = await ingestAlertBatch(ctx, batch, settings);
      return { summary, text: describeSummary(summary), incidentsOpened: summary.incidents.created.length };
    }
    case "resolve":
    case "update": {
      const current = await firingAlert(ctx.db, action.fingerprint);
      if (!current) return { text: `nothing to ${action.type}: no firing alert has this key`, incidentsOpened: 0 };
      const { alert, groupKey } = current;
      const batch: AlertBatch = {
        source: integration.kind,
        instanceByFingerprint: true,
        groupKey,
        receiver: null,
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        truncatedAlerts: 0,
        alerts: [
          {
            fingerprint: alert.fingerprint,
            status: action.type === "resolve" ? "resolved" : "firing",
            labels: alert.labels,
            annotations: action.type === "update" ? { ...alert.annotations, ...action.annotations } : alert.annotations,
            startsAt: alert.startsAt,
            endsAt: action.type === "resolve" ? ctx.now : null,
            generatorUrl: alert.generatorUrl,
          },
        ],
      };
      const summary = await ingestAlertBatch(ctx, batch, settings);
      return { summary, text: describeSummary(summary) || `${action.type}d the alert`, incidentsOpened: 0 };
    }
    case "acknowledge":
      return acknowledgeByKey(ctx, action.fingerprint);
  }
}

/** The integration's defaults fill what the alerts leave out: service, team, severity. */
function withDefaults(batch: AlertBatch, integration: IntegrationRow, settings: IngestionSettings): AlertBatch {
  const { defaultService, defaultTeam, defaultSeverity } = integration;
  if (!defaultService && !defaultTeam && !defaultSeverity) return batch;
  const fill = (labels: Record<string, string>) => {
    const out = { ...labels };
    if (defaultService && !out[settings.serviceLabel]) out[settings.serviceLabel] = defaultService;
    if (defaultTeam && !out[settings.teamLabel]) out[settings.teamLabel] = defaultTeam;
    if (defaultSeverity && !out.severity && !out.priority) out.priority = defaultSeverity;
    return out;
  };
  return { ...batch, alerts: batch.alerts.map((a) => ({ ...a, labels: fill(a.labels) })) };
}

async function firingAlert(db: DbOrTx, fingerprint: string) {
  const [row] = await db
    .select({ alert: alerts, groupKey: incidents.groupKey })
    .from(alerts)
    .innerJoin(incidents, eq(incidents.id, alerts.incidentId))
    .where(and(eq(alerts.fingerprint, fingerprint), eq(alerts.status, "firing")))
    .orderBy(desc(alerts.lastReceivedAt))
    .limit(1);
  return row?.groupKey ? { alert: row.alert, groupKey: row.groupKey } : undefined;
}

/** Acknowledges the open incident holding this key's alert; an unknown key is accepted and does nothing. */
async function acknowledgeByKey(ctx: Ctx, fingerprint: string): Promise<IntakeOutcome> {
  const result = await inTransaction(ctx, async (txCtx) => {
    const [row] = await txCtx.db
      .select({ incident: incidents })
      .from(incidents)
      .innerJoin(alerts, eq(alerts.incidentId, incidents.id))
      .where(and(eq(alerts.fingerprint, fingerprint), ne(incidents.status, "resolved")))
      .orderBy(desc(incidents.createdAt))
      .limit(1)
      .for("update", { of: incidents });
    if (!row) return null;
    const moved = await moveIncident(
      txCtx,
      row.incident,
      { type: "acknowledge" },
      { auditAction: "incident.acknowledge" },
    );
    return { before: row.incident, ...moved };
  });
  if (!result) return { text: "nothing to acknowledge: no open incident has this key", incidentsOpened: 0 };
  const ref = formatIncidentRef(result.row.number);
  if (!result.changed) return { text: `${ref} was already ${result.row.status}`, incidentsOpened: 0 };
  recordIncidentTransitions([{ before: result.before, after: result.row }]);
  return { text: `acknowledged ${ref}`, incidentsOpened: 0 };
}

export function describeSummary(summary: IngestionSummary): string {
  const { created, reopened, updated, resolved } = summary.incidents;
  const parts = [
    created.length && `opened ${created.join(", ")}`,
    reopened.length && `reopened ${reopened.join(", ")}`,
    // An incident whose last alert resolved is "resolved", not also "updated".
    updated.some((ref) => !resolved.includes(ref)) &&
      `updated ${updated.filter((ref) => !resolved.includes(ref)).join(", ")}`,
    resolved.length && `resolved ${resolved.join(", ")}`,
    summary.ignored && `ignored ${summary.ignored} resolved alert(s) never seen firing`,
  ].filter(Boolean);
  return parts.length ? parts.join("; ") : `no change (${summary.alerts} alert(s) already known)`;
}

const REDACTED = "[redacted]";
const SECRET_KEY = /routing_key|secret|token|password|passwd|api_?key|authorization|genie/i;
const MAX_STORED_CHARS = 64 * 1024;

// PostgreSQL's jsonb refuses a lone UTF-16 surrogate (JSON.stringify writes it as "\ud800"), which a sender
// can put in any string and the cut below can make of an emoji: the log row would be lost with it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const wellFormed = (text: string) => text.replace(LONE_SURROGATE, "\ufffd");

/** The payload as the event log keeps it: secrets replaced, lone surrogates too, and cut when large. */
export function redactPayload(payload: unknown): unknown {
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return wellFormed(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          wellFormed(k),
          SECRET_KEY.test(k) && typeof v === "string" ? REDACTED : walk(v),
        ]),
      );
    return value;
  };
  const redacted = walk(payload);
  const text = JSON.stringify(redacted) ?? "null";
  return text.length > MAX_STORED_CHARS
    ? { truncated: true, characters: text.length, start: wellFormed(text.slice(0, 4000)) }
    : redacted;
}

export interface IntegrationEventRecord {
  action: string;
  status: number;
  outcome: string;
  incidentsOpened?: number;
  payload: unknown;
}

/**
 * Appends to the integrations' event logs in one statement, and prunes each one's entries older than a day
 * and a half beyond its newest 50 (the page shows 50; "events today" needs today's).
 */
export async function writeIntegrationEvents(
  db: DbOrTx,
  entries: { integrationId: string; receivedAt: Date; event: IntegrationEventRecord }[],
): Promise<void> {
  if (entries.length === 0) return;
  const newest = Math.max(...entries.map((e) => e.receivedAt.getTime()));
  const keepAfter = new Date(newest - 36 * 3600_000).toISOString();
  const rows = entries.map(({ integrationId, receivedAt, event }) => ({
    integration_id: integrationId,
    received_at: receivedAt.toISOString(),
    action: event.action,
    status: event.status,
    outcome: event.outcome.slice(0, 2000),
    incidents_opened: event.incidentsOpened ?? 0,
    payload: redactPayload(event.payload) ?? null,
  }));
  const ids = [...new Set(entries.map((e) => e.integrationId))];
  await db.execute(sql`
    with added as (
      insert into ${integrationEvents} (integration_id, received_at, action, status, outcome, incidents_opened, payload)
      select r.integration_id, r.received_at, r.action, r.status, r.outcome, r.incidents_opened, r.payload
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(integration_id uuid, received_at timestamptz,
             action text, status int, outcome text, incidents_opened int, payload jsonb)
    )
    delete from ${integrationEvents} e
     where e.integration_id = any(${`{${ids.join(",")}}`}::uuid[]) and e.received_at < ${keepAfter}::timestamptz
       and e.id not in (select x.id from ${integrationEvents} x where x.integration_id = e.integration_id
                         order by x.received_at desc limit 50)`);
}

/** One entry, written now (the worker's missed heartbeats; the doors queue theirs: integration-event-log.ts). */
export const recordIntegrationEvent = (
  db: DbOrTx,
  integration: Pick<IntegrationRow, "id">,
  now: Date,
  event: IntegrationEventRecord,
) => writeIntegrationEvents(db, [{ integrationId: integration.id, receivedAt: now, event }]);
