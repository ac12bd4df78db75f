// Vigil's own event format, for tools that speak none of the vendors': one alert per body, named by
// `dedup_key`, firing until a body with the same key says `resolved`. Lenient like the vendor formats.
import { z } from "zod";
import type { IntegrationRow } from "@/db/schema";
import { LenientText as Text, linkAnnotations, parseSenderTime, stringValue } from "./reader-helpers";
import { indexable, type AlertBatch } from "../alerts/alertmanager-payload";
import { invalid } from "../errors";
import { parseInput } from "../input";
import { keyedFingerprint, type IntakeAction } from "./receive";

const StringMap = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((map) =>
    Object.fromEntries(
      Object.entries(map ?? {}).flatMap(([k, v]) => {
        const text = stringValue(v) ?? (v === null || v === undefined ? undefined : JSON.stringify(v));
        return text === undefined ? [] : [[k, text]];
      }),
    ),
  );

export const VigilEvent = z.looseObject({
  dedup_key: Text.pipe(z.string().trim().min(1).max(8192)).describe(
    "Names the alert: the same key again updates it, and `resolved` ends it",
  ),
  status: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["firing", "resolved", "trigger", "resolve", "ok"]))
    .optional()
    .describe("firing (default) or resolved"),
  title: Text.pipe(z.string().trim().min(1)).optional().describe("Required when firing"),
  severity: Text.optional().describe("P0..P4, or critical / error / warning / info (else the integration's default)"),
  service: Text.optional(),
  team: Text.optional(),
  labels: StringMap.describe("Free labels; they also feed routing"),
  annotations: StringMap.describe("description, runbook_url, and any other text"),
  links: z
    .array(z.looseObject({ href: Text.nullish(), text: Text.nullish() }))
    .nullish()
    .describe("Shown on the incident"),
  started_at: z.union([z.string(), z.number()]).nullish().describe("ISO 8601 or Unix seconds; default: now"),
  group_key: Text.optional().describe("Alerts with the same group_key share one incident; default: the dedup_key"),
});

export function readVigilEvent(
  body: unknown,
  integration: IntegrationRow,
  now: Date,
  labelNames: { serviceLabel: string; teamLabel: string },
): { action: string; intake: IntakeAction } {
  const event = parseInput(VigilEvent, body, "Vigil event");
  const fingerprint = keyedFingerprint(integration, event.dedup_key);
  const resolved = event.status === "resolved" || event.status === "resolve" || event.status === "ok";
  if (resolved) return { action: "resolved", intake: { type: "resolve", fingerprint } };
  if (!event.title)
    throw invalid("Invalid Vigil event: a firing event needs a title", [{ path: "title", message: "required" }]);
  const labels: Record<string, string> = { alertname: event.title.slice(0, 200), ...event.labels };
  if (event.severity) {
    const severity = event.severity.trim();
    if (/^P[0-4]$/i.test(severity)) labels.priority = severity.toUpperCase();
    else labels.severity = severity.toLowerCase();
  }
  if (event.service) labels[labelNames.serviceLabel] = event.service;
  if (event.team) labels[labelNames.teamLabel] = event.team;
  const annotations = { summary: event.title, ...event.annotations, ...linkAnnotations(event.links ?? []) };
  const batch: AlertBatch = {
    source: "webhook",
    instanceByFingerprint: true,
    groupKey: indexable(`webhook:${integration.id}:${event.group_key ?? event.dedup_key}`),
    receiver: null,
    groupLabels: {},
    commonLabels: labels,
    commonAnnotations: {
      summary: event.title,
      ...(event.annotations.description && { description: event.annotations.description }),
    },
    truncatedAlerts: 0,
    alerts: [
      {
        fingerprint,
        status: "firing",
        labels,
        annotations,
        startsAt: parseSenderTime(event.started_at, now),
        endsAt: null,
        generatorUrl: null,
      },
    ],
  };
  return { action: "firing", intake: { type: "alerts", batch } };
}
