// What an incident opened by a group of firing alerts looks like: title, severity, service, team,
// labels, runbook and detection time. Pure, shared by ingestion and the routing dry run.
import type { NewIncident } from "../incidents/incident-store";
import type { AlertBatch, IncomingAlert } from "./alertmanager-payload";
import { moreSevere, severityOfAlert, type SeverityMap } from "./severity";

export interface AlertFieldSettings {
  serviceLabel: string;
  teamLabel: string;
  severityMap: SeverityMap;
}

const MAX_NAME_LENGTH = 200;

export function incidentFromAlerts(
  batch: AlertBatch,
  firing: IncomingAlert[],
  settings: AlertFieldSettings,
): NewIncident & { service: string | null; team: string | null; labels: Record<string, string> } {
  const first = firing[0];
  if (!first) throw new Error("an incident needs at least one firing alert");
  // Service and team are indexed columns; a label value of kilobytes (a mistake, but Alertmanager sends
  // it) is cut rather than refused, since a refused alert is lost.
  const label = (name: string) => (batch.commonLabels[name] ?? first.labels[name])?.slice(0, MAX_NAME_LENGTH) ?? null;
  const alertname = batch.commonLabels.alertname ?? batch.groupLabels.alertname ?? first.labels.alertname ?? "Alert";
  const service = label(settings.serviceLabel);
  return {
    title: (batch.commonAnnotations.summary || (service ? `${alertname} on ${service}` : alertname)).slice(0, 300),
    description: batch.commonAnnotations.description ?? null,
    severity: firing.map((a) => severityOfAlert(a.labels, settings.severityMap)).reduce(moreSevere),
    service,
    team: label(settings.teamLabel),
    groupKey: batch.groupKey,
    labels: batch.commonLabels,
    runbookUrl: runbookOf(batch.commonAnnotations, firing),
    detectedAt: new Date(Math.min(...firing.map((a) => a.startsAt.getTime()))),
  };
}

export function runbookOf(commonAnnotations: Record<string, string>, firing: IncomingAlert[]): string | null {
  return (
    commonAnnotations.runbook_url || firing.find((a) => a.annotations.runbook_url)?.annotations.runbook_url || null
  );
}
