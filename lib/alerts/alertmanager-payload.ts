// Alertmanager's webhook body (version "4"), read the way real senders send it: unknown fields are
// ignored, label values are taken as strings, and only what grouping needs is required. Anything that
// could be fixed by a retry is not a reason for a 400 — Alertmanager never retries a 4xx, so a needless
// rejection silently loses the alert.
import { createHash } from "node:crypto";
import { z } from "zod";
import { invalid } from "../errors";
import { parseInput } from "../input";
import { alertFingerprint } from "./fingerprint";

const StringMap = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((map) => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(map ?? {})) {
      if (typeof value === "string") out[key] = value;
      else if (typeof value === "number" || typeof value === "boolean") out[key] = String(value);
    }
    return out;
  });

const RawAlert = z.looseObject({
  status: z.string().optional(),
  labels: StringMap,
  annotations: StringMap,
  startsAt: z.string().nullish(),
  endsAt: z.string().nullish(),
  generatorURL: z.string().nullish(),
  fingerprint: z.string().nullish(),
});

export const AlertmanagerPayload = z.looseObject({
  version: z.string(),
  groupKey: z.string().nullish(),
  receiver: z.string().nullish(),
  status: z.string().nullish(),
  groupLabels: StringMap,
  commonLabels: StringMap,
  commonAnnotations: StringMap,
  externalURL: z.string().nullish(),
  truncatedAlerts: z.number().int().nonnegative().nullish(),
  alerts: z.array(RawAlert).max(10_000),
});

export interface IncomingAlert {
  fingerprint: string;
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  endsAt: Date | null;
  generatorUrl: string | null;
}

/** Which kind of sender a batch came from (an integration kind); named on the timeline and in the audit. */
export type AlertSource = "alertmanager" | "pagerduty" | "grafana" | "opsgenie" | "webhook" | "heartbeat";

export const alertSourceNames: Record<AlertSource, string> = {
  alertmanager: "Alertmanager",
  pagerduty: "PagerDuty Events API",
  grafana: "Grafana",
  opsgenie: "Opsgenie Alert API",
  webhook: "a webhook",
  heartbeat: "a missed heartbeat",
};

export interface AlertBatch {
  source: AlertSource;
  /**
   * Senders that name an alert by a key alone (PagerDuty's dedup_key, Opsgenie's alias) send no start
   * time that stays the same across deliveries: their firing alert is one instance per key until it resolves.
   */
  instanceByFingerprint?: boolean;
  groupKey: string;
  receiver: string | null;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  truncatedAlerts: number;
  alerts: IncomingAlert[];
  /** The integration that received it (its escalation policy is the incident's first choice). */
  integrationId?: string;
}

/**
 * Group keys and fingerprints are indexed, and a PostgreSQL index entry holds at most about 2.7 KB. A
 * longer one (a group by many long labels) keeps its first 200 characters and ends in a hash of the
 * whole, so it still names one group or one alert, the same on every delivery. Migration 0011 rewrote
 * keys stored before this rule the same way: keep the two in step.
 */
const MAX_INDEXED_BYTES = 2000;
export function indexable(value: string): string {
  if (Buffer.byteLength(value) <= MAX_INDEXED_BYTES) return value;
  return `${Array.from(value).slice(0, 200).join("")}…sha256:${createHash("sha256").update(value).digest("hex")}`;
}

/** Go's zero time, which Alertmanager sends as `endsAt` of a firing alert. */
const isZeroTime = (date: Date) => date.getUTCFullYear() <= 1;

function parseTime(text: string | null | undefined): Date | null {
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) || isZeroTime(date) ? null : date;
}

export function readAlertmanagerPayload(body: unknown, receivedAt: Date): AlertBatch {
  const version = (body as { version?: unknown } | null)?.version;
  // Alertmanager writes the version as a string; a hand-made sender writing the number 4 means the same.
  if (version !== "4" && version !== 4) {
    const empty = typeof body === "object" && body !== null && Object.keys(body).length === 0;
    throw invalid(
      empty
        ? 'The body is empty: Alertmanager sends a JSON object with "version": "4", its "groupKey" and its "alerts"'
        : version === undefined
          ? 'This is not an Alertmanager webhook payload: "version" is missing (Vigil reads version "4")'
          : `Unsupported Alertmanager webhook payload version ${JSON.stringify(version)}; Vigil reads version "4"`,
      [{ path: empty ? "(body)" : "version", message: empty ? "empty" : 'must be "4"' }],
    );
  }
  return readAlertGroup({ ...(body as object), version: "4" }, receivedAt, "Alertmanager payload");
}

/** The body of Alertmanager's webhook or a superset of it (Grafana's), its version already checked. */
export function readAlertGroup(body: object, receivedAt: Date, what: string): AlertBatch {
  const payload = parseInput(AlertmanagerPayload, { ...body, version: "4" }, what);

  // One row per fingerprint: should a sender repeat an alert within a batch, the last copy wins.
  const alerts = new Map<string, IncomingAlert>();
  for (const raw of payload.alerts) {
    const endsAt = parseTime(raw.endsAt);
    const resolved = raw.status === "resolved" || (raw.status === undefined && endsAt !== null && endsAt <= receivedAt);
    const fingerprint = indexable(raw.fingerprint?.trim() || alertFingerprint(raw.labels));
    alerts.set(fingerprint, {
      fingerprint,
      status: resolved ? "resolved" : "firing",
      labels: raw.labels,
      annotations: raw.annotations,
      // A sender that omits startsAt still gets its alert recorded, as starting when we received it.
      startsAt: parseTime(raw.startsAt) ?? receivedAt,
      endsAt: resolved ? (endsAt ?? receivedAt) : null,
      generatorUrl: raw.generatorURL || null,
    });
  }

  const groupLabels = payload.groupLabels;
  return {
    source: "alertmanager",
    // Without a groupKey (not Alertmanager, but close enough) the group labels stand in for it.
    groupKey: indexable(
      payload.groupKey?.trim() || `{}:${JSON.stringify(Object.fromEntries(Object.entries(groupLabels).sort()))}`,
    ),
    receiver: payload.receiver ?? null,
    groupLabels,
    commonLabels: payload.commonLabels,
    commonAnnotations: payload.commonAnnotations,
    truncatedAlerts: payload.truncatedAlerts ?? 0,
    alerts: [...alerts.values()],
  };
}
