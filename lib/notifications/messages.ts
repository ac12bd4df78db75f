// What each channel says about an incident. Pure functions of the incident (and the event), so they are
// easy to test and read.
import type { PagerDutyEvent } from "../integrations/pagerduty/events-api";
import type { EmailMessage } from "../integrations/email/send-email";
import type { Incident } from "../incidents/schemas";
import { httpUrl } from "../links";

const pagerDutySeverity: Record<Incident["severity"], "critical" | "error" | "warning" | "info"> = {
  P0: "critical",
  P1: "critical",
  P2: "error",
  P3: "warning",
  P4: "info",
};

export const incidentUrl = (incident: Incident, appUrl: string) => `${appUrl}/incidents/${incident.ref}`;

// An incident's runbook_url is the alert's to choose: only an http(s) one becomes a link (here and in email).
export function pagerDutyTrigger(incident: Incident, appUrl: string): PagerDutyEvent {
  const runbookHref = httpUrl(incident.runbook_url);
  return {
    event_action: "trigger",
    // The incident id: PagerDuty's webhooks send it back as incident_key, and repeats update one alert.
    dedup_key: incident.id,
    payload: {
      summary: `[${incident.ref}] ${incident.title}`.slice(0, 1024),
      source: incident.service ?? "vigil",
      severity: pagerDutySeverity[incident.severity],
      timestamp: incident.detected_at ?? incident.created_at,
      ...(incident.service ? { component: incident.service } : {}),
      ...(incident.team ? { group: incident.team } : {}),
      class: incident.labels.alertname ?? incident.severity,
      custom_details: {
        vigil_ref: incident.ref,
        severity: incident.severity,
        status: incident.status,
        ...(incident.group_key ? { group_key: incident.group_key } : {}),
      },
    },
    links: [
      { href: incidentUrl(incident, appUrl), text: `${incident.ref} in Vigil` },
      ...(runbookHref ? [{ href: runbookHref, text: "Runbook" }] : []),
    ],
  };
}

export function incidentEmail(incident: Incident, appUrl: string, messageId: string, to: string): EmailMessage {
  const url = incidentUrl(incident, appUrl);
  const runbookHref = httpUrl(incident.runbook_url);
  const lines = [
    `${incident.severity} incident ${incident.ref}: ${incident.title}`,
    "",
    `Status:   ${incident.status}`,
    `Service:  ${incident.service ?? "—"}`,
    `Team:     ${incident.team ?? "—"}`,
    `Detected: ${incident.detected_at ?? "unknown"}`,
    ...(incident.runbook_url ? [`Runbook:  ${incident.runbook_url}`] : []),
    "",
    `Open it in Vigil: ${url}`,
    "",
    "You get this email because the usual channel for this incident could not be reached.",
  ];
  const escape = (s: string) =>
    s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
  const row = (k: string, v: string) =>
    `<tr><th align="left" style="padding:2px 12px 2px 0">${k}</th><td>${escape(v)}</td></tr>`;
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif">
<h2 style="margin:0 0 8px">${escape(`${incident.severity} ${incident.ref}: ${incident.title}`)}</h2>
<table>${row("Status", incident.status)}${row("Service", incident.service ?? "—")}${row("Team", incident.team ?? "—")}${row("Detected", incident.detected_at ?? "unknown")}</table>
<p><a href="${escape(url)}">Open ${incident.ref} in Vigil</a>${runbookHref ? ` · <a href="${escape(runbookHref)}">Runbook</a>` : ""}</p>
<p style="color:#666;font-size:12px">You get this email because the usual channel for this incident could not be reached.</p>
</body></html>`;
  return {
    to,
    subject: `[${incident.severity}] ${incident.ref}: ${incident.title}`.slice(0, 200),
    text: lines.join("\n"),
    html,
    messageId,
  };
}

export function incidentSms(incident: Incident, appUrl: string): string {
  return (
    `Vigil ${incident.severity} ${incident.ref}: ${incident.title}`.slice(0, 120) + ` ${incidentUrl(incident, appUrl)}`
  );
}
