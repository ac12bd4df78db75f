// Builders for Alertmanager webhook bodies, shaped like the real thing (../shared/PROTOCOLS.md).
import { alertFingerprint } from "@/lib/alerts/fingerprint";
import type { IngestionSettings } from "@/lib/alerts/ingest-alertmanager-payload";
import { defaultSeverityMap } from "@/lib/alerts/severity";

/** The ingestion's settings as a fresh install has them (a five-minute reopen window). */
export const ingestionSettings: IngestionSettings = {
  reopenWindowMs: 5 * 60_000,
  serviceLabel: "service",
  teamLabel: "team",
  severityMap: defaultSeverityMap,
};

const T0 = Date.parse("2026-11-28T06:00:00Z");
/** A fixed morning, `minutes` on: the ingestion tests' clock. */
export const at = (minutes: number) => new Date(T0 + minutes * 60_000);

export interface AlertSpec {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  status?: "firing" | "resolved";
}

export function alert(spec: AlertSpec) {
  const status = spec.status ?? "firing";
  return {
    status,
    labels: spec.labels,
    annotations: spec.annotations ?? {},
    startsAt: spec.startsAt ?? "2026-11-28T06:00:00Z",
    endsAt: status === "resolved" ? (spec.endsAt ?? "2026-11-28T06:30:00Z") : "0001-01-01T00:00:00Z",
    generatorURL: `http://prometheus:9090/graph?g0.expr=${encodeURIComponent(spec.labels.alertname ?? "x")}`,
    fingerprint: alertFingerprint(spec.labels),
  };
}

export function webhook(groupKey: string, alerts: ReturnType<typeof alert>[], extra: Record<string, unknown> = {}) {
  const common = (pick: (a: ReturnType<typeof alert>) => Record<string, string>) => {
    const [first, ...rest] = alerts.map(pick);
    return Object.fromEntries(Object.entries(first ?? {}).filter(([k, v]) => rest.every((r) => r[k] === v)));
  };
  return {
    receiver: "vigil",
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    alerts,
    groupLabels: { alertname: alerts[0]?.labels.alertname ?? "" },
    commonLabels: common((a) => a.labels),
    commonAnnotations: common((a) => a.annotations),
    externalURL: "http://alertmanager:9093",
    version: "4",
    groupKey,
    truncatedAlerts: 0,
    ...extra,
  };
}
