// PagerDuty Events API v2 (POST /v2/enqueue), received: what Alertmanager's pagerduty_configs, Grafana's
// PagerDuty contact point and many other tools send. Read as PagerDuty reads it — routing_key,
// event_action and, for a trigger, payload.summary are required — and leniently elsewhere: an unknown
// severity takes the integration's default, numbers may come as strings, a missing source is tolerated.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { IntegrationRow } from "@/db/schema";
import { indexable, type AlertBatch } from "../alerts/alertmanager-payload";
import { invalid } from "../errors";
import { parseInput } from "../input";
import { optionsOf } from "./integration-options";
import { keyedFingerprint, type IntakeAction } from "./receive";
import { LenientText as Text, flatDetails, linkAnnotations, parseSenderTime, stringValue } from "./reader-helpers";

const PagerDutyEvent = z.looseObject({
  routing_key: Text,
  event_action: z.enum(["trigger", "acknowledge", "resolve"]),
  dedup_key: Text.pipe(z.string().max(8192)).nullish(),
  payload: z
    .looseObject({
      summary: Text.pipe(z.string().trim().min(1)),
      source: Text.nullish(),
      severity: Text.nullish(),
      timestamp: z.union([z.string(), z.number()]).nullish(),
      component: Text.nullish(),
      group: Text.nullish(),
      class: Text.nullish(),
      custom_details: z.unknown().optional(),
    })
    .nullish(),
  images: z.array(z.looseObject({ src: Text.nullish(), href: Text.nullish(), alt: Text.nullish() })).nullish(),
  links: z.array(z.looseObject({ href: Text.nullish(), text: Text.nullish() })).nullish(),
  client: Text.nullish(),
  client_url: Text.nullish(),
});

export interface PagerDutyEvent {
  eventAction: "trigger" | "acknowledge" | "resolve";
  dedupKey: string;
  intake: IntakeAction;
}

/** The routing key, read before anything else (it says which integration this is). */
export const routingKeyOf = (body: unknown) =>
  stringValue((body as { routing_key?: unknown } | null)?.routing_key) ?? null;

export function readPagerDutyEvent(body: unknown, integration: IntegrationRow, now: Date): PagerDutyEvent {
  const event = parseInput(PagerDutyEvent, body, "PagerDuty event");
  if (event.event_action !== "trigger") {
    if (!event.dedup_key) throw parseError(`dedup_key is required for ${event.event_action}`, "dedup_key", "required");
    const fingerprint = keyedFingerprint(integration, event.dedup_key);
    return {
      eventAction: event.event_action,
      dedupKey: event.dedup_key,
      intake: { type: event.event_action, fingerprint },
    };
  }
  if (!event.payload) throw parseError("payload is required for trigger", "payload", "required");
  const dedupKey = event.dedup_key || randomUUID();
  const p = event.payload;
  const summary = p.summary.slice(0, 1024);
  const labels: Record<string, string> = { alertname: summary.slice(0, 200) };
  if (p.severity) labels.severity = p.severity.trim().toLowerCase();
  if (p.source) labels.instance = p.source;
  for (const field of ["component", "group", "class"] as const) if (p[field]) labels[field] = p[field]!;
  const annotations: Record<string, string> = {
    summary,
    ...flatDetails(p.custom_details),
    ...linkAnnotations(event.links ?? []),
  };
  const image = event.images?.find((i) => i.src)?.src;
  if (image) annotations.image_url = image;
  if (event.client_url) annotations[`link:${event.client ?? "Source"}`] = event.client_url;

  const groupBy = optionsOf(integration).group_by ?? "dedup_key";
  const groupValue = groupBy === "dedup_key" ? dedupKey : (p[groupBy] ?? dedupKey);
  const batch: AlertBatch = {
    source: "pagerduty",
    instanceByFingerprint: true,
    groupKey: indexable(
      `pagerduty:${integration.id}:${groupBy === "dedup_key" || !p[groupBy] ? "dedup_key" : groupBy}=${groupValue}`,
    ),
    receiver: null,
    groupLabels: {},
    commonLabels: labels,
    commonAnnotations: { summary },
    truncatedAlerts: 0,
    alerts: [
      {
        fingerprint: keyedFingerprint(integration, dedupKey),
        status: "firing",
        labels,
        annotations,
        startsAt: parseSenderTime(p.timestamp, now),
        endsAt: null,
        generatorUrl: event.client_url ?? null,
      },
    ],
  };
  return { eventAction: "trigger", dedupKey, intake: { type: "alerts", batch } };
}

const parseError = (message: string, path: string, why: string) => invalid(message, [{ path, message: why }]);
