// Opsgenie's Alert API, received: create (POST /v2/alerts), close and acknowledge by alias, and the
// message / description updates Alertmanager's opsgenie_configs send with update_alerts. What
// Alertmanager's and Grafana's Opsgenie integrations send, with `api_url` pointed at Vigil, just works.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { IntegrationRow } from "@/db/schema";
import { indexable, type AlertBatch } from "../alerts/alertmanager-payload";
import { invalid } from "../errors";
import { parseInput } from "../input";
import { keyedFingerprint, type IntakeAction } from "./receive";
import { LenientText as Text, flatDetails, stringValue } from "./reader-helpers";

const CreateAlert = z.looseObject({
  message: Text.pipe(z.string().trim().min(1, "Message can not be empty.")),
  alias: Text.pipe(z.string().max(512)).nullish(),
  description: Text.nullish(),
  priority: Text.nullish(),
  tags: z.union([z.array(z.unknown()), z.string()]).nullish(),
  details: z.unknown().optional(),
  entity: Text.nullish(),
  source: Text.nullish(),
});

// Opsgenie's P1 (critical) .. P5 (informational) onto Vigil's P0..P4 scale: P1..P4 keep their number.
const severityOfPriority: Record<string, string> = { P1: "P1", P2: "P2", P3: "P3", P4: "P4", P5: "P4" };

export type OpsgenieRequest =
  { kind: "create" } | { kind: "close" | "acknowledge" | "message" | "description"; identifier: string };

export function readOpsgenieRequest(
  request: OpsgenieRequest,
  body: unknown,
  integration: IntegrationRow,
  now: Date,
): { action: string; intake: IntakeAction } {
  if (request.kind !== "create") {
    const fingerprint = keyedFingerprint(integration, request.identifier);
    if (request.kind === "close") return { action: "close", intake: { type: "resolve", fingerprint } };
    if (request.kind === "acknowledge") return { action: "acknowledge", intake: { type: "acknowledge", fingerprint } };
    const field = request.kind;
    const text = stringValue((body as Record<string, unknown> | null)?.[field]);
    if (!text) throw invalid(`${field} is required`, [{ path: field, message: "required" }]);
    const annotation = field === "message" ? "summary" : "description";
    return { action: field, intake: { type: "update", fingerprint, annotations: { [annotation]: text } } };
  }
  const alert = parseInput(CreateAlert, body, "Opsgenie alert");
  const alias = alert.alias || randomUUID();
  const message = alert.message.slice(0, 130);
  const labels: Record<string, string> = { alertname: message };
  const priority = severityOfPriority[alert.priority?.trim().toUpperCase() ?? ""];
  if (priority) labels.priority = priority;
  if (alert.entity) labels.instance = alert.entity;
  if (alert.source) labels.source = alert.source;
  const tags = (Array.isArray(alert.tags) ? alert.tags.map(stringValue) : (alert.tags ?? "").split(","))
    .map((tag) => tag?.trim())
    .filter(Boolean);
  const annotations: Record<string, string> = {
    summary: message,
    ...flatDetails(alert.details),
    ...(alert.description && { description: alert.description }),
    ...(tags.length && { tags: tags.join(", ") }),
  };
  const batch: AlertBatch = {
    source: "opsgenie",
    instanceByFingerprint: true,
    groupKey: indexable(`opsgenie:${integration.id}:${alias}`),
    receiver: null,
    groupLabels: {},
    commonLabels: labels,
    commonAnnotations: { summary: message, ...(alert.description && { description: alert.description }) },
    truncatedAlerts: 0,
    alerts: [
      {
        fingerprint: keyedFingerprint(integration, alias),
        status: "firing",
        labels,
        annotations,
        startsAt: now,
        endsAt: null,
        generatorUrl: null,
      },
    ],
  };
  return { action: "create", intake: { type: "alerts", batch } };
}
