// Grafana Alerting's webhook contact point (payload version "1", a superset of Alertmanager's v4): read
// through the Alertmanager reader, with Grafana's per-alert extras (dashboard, panel, silence and image
// links, the measured values) kept as annotations the incident page shows. A custom payload template
// may replace the whole body: without an `alerts` list, the body is one alert named by its title.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IntegrationRow } from "@/db/schema";
import { indexable, readAlertGroup, type AlertBatch } from "../alerts/alertmanager-payload";
import { alertFingerprint } from "../alerts/fingerprint";
import { AppError } from "../errors";
import { optionsOf } from "./integration-options";
import { stringValue } from "./reader-helpers";

const extras: Record<string, string> = {
  dashboardURL: "dashboard_url",
  panelURL: "panel_url",
  silenceURL: "silence_url",
  imageURL: "image_url",
  valueString: "value_string",
};

/** {"B": 44.2, "C": 1} -> "B=44.2, C=1" */
const describeValues = (values: unknown) =>
  values && typeof values === "object" && !Array.isArray(values)
    ? Object.entries(values)
        .map(([k, v]) => `${k}=${stringValue(v) ?? JSON.stringify(v)}`)
        .join(", ")
    : undefined;

function withGrafanaExtras(alert: unknown): unknown {
  if (!alert || typeof alert !== "object") return alert;
  const raw = alert as Record<string, unknown>;
  const annotations: Record<string, unknown> =
    raw.annotations && typeof raw.annotations === "object" ? { ...(raw.annotations as object) } : {};
  for (const [field, name] of Object.entries(extras)) {
    const value = stringValue(raw[field]);
    if (value) annotations[name] ??= value;
  }
  const values = describeValues(raw.values);
  if (values) annotations.values ??= values;
  return { ...raw, annotations };
}

export function readGrafanaPayload(body: unknown, integration: IntegrationRow, now: Date): AlertBatch {
  const object = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const scoped = (key: string) => indexable(`grafana:${integration.id}:${key}`);
  if (Array.isArray(object.alerts)) {
    const batch = readAlertGroup(
      { ...object, alerts: object.alerts.map(withGrafanaExtras) },
      now,
      "Grafana Alerting payload",
    );
    return { ...batch, source: "grafana", groupKey: scoped(batch.groupKey) };
  }
  // A custom template's body: one alert, firing unless it says it is resolved / ok.
  const title = stringValue(object.title) ?? stringValue(object.message) ?? "Grafana alert";
  const state = (stringValue(object.state) ?? stringValue(object.status) ?? "").toLowerCase();
  const resolved = state === "ok" || state === "resolved" || state === "normal";
  const labels = { alertname: title.slice(0, 200) };
  const annotations = {
    summary: title,
    ...(stringValue(object.message) && { description: stringValue(object.message)! }),
  };
  return {
    source: "grafana",
    groupKey: scoped(stringValue(object.groupKey) ?? title),
    receiver: null,
    groupLabels: {},
    commonLabels: labels,
    commonAnnotations: annotations,
    truncatedAlerts: 0,
    alerts: [
      {
        fingerprint: alertFingerprint(labels),
        status: resolved ? "resolved" : "firing",
        labels,
        annotations,
        startsAt: now,
        endsAt: resolved ? now : null,
        generatorUrl: null,
      },
    ],
  };
}

/** Grafana's credentials: Basic (the password, else the user name) or `Authorization: <any scheme> <secret>`. */
export function grafanaSecret(authorization: string | null): string | null {
  if (!authorization) return null;
  const [scheme, ...rest] = authorization.trim().split(/\s+/);
  const credentials = rest.join(" ");
  if (!credentials) return scheme ?? null;
  if (scheme?.toLowerCase() !== "basic") return credentials;
  const decoded = Buffer.from(credentials, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const [user, password] = colon < 0 ? [decoded, ""] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return password || user || null;
}

const SIGNATURE_HEADER = "x-grafana-alerting-signature";
const MAX_SKEW_SECONDS = 5 * 60;

/**
 * With an HMAC secret set, the body must carry Grafana's signature: hex HMAC-SHA256 of the body, or of
 * "<timestamp>:<body>" when the contact point sends a timestamp header (then no more than 5 min old).
 */
export function verifyGrafanaSignature(
  integration: IntegrationRow,
  headers: Headers,
  rawBody: string,
  now: Date,
): void {
  const { hmac_secret: secret, timestamp_header: timestampHeader } = optionsOf(integration);
  if (!secret) return;
  const refuse = (why: string) => new AppError("unauthenticated", `Grafana signature refused: ${why}`);
  const signature = headers.get(SIGNATURE_HEADER)?.trim().toLowerCase();
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) throw refuse(`no valid ${SIGNATURE_HEADER} header`);
  let signed = rawBody;
  if (timestampHeader) {
    const timestamp = headers.get(timestampHeader)?.trim() ?? "";
    if (!/^\d+$/.test(timestamp)) throw refuse(`no ${timestampHeader} header`);
    if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) throw refuse("the timestamp is stale");
    signed = `${timestamp}:${rawBody}`;
  }
  const expected = createHmac("sha256", secret).update(signed).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) throw refuse("it does not match the body");
}
