// Everything the draft is written from, read from the incident's own record: the incident and its owner,
// its alerts (for the services they name and when each fired), its timeline, and its remediation runs.
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { alerts, remediationRuns, timelineEvents, users, type IncidentRow } from "@/db/schema";
import { describeAlertLabels } from "../alerts/describe-alert";
import { formatIncidentRef } from "../incidents/ref";
import type { PostmortemFacts } from "./render-postmortem";

export async function loadPostmortemFacts(
  db: DbOrTx,
  incident: IncidentRow,
  serviceLabel: string,
): Promise<PostmortemFacts> {
  const [owner] = incident.ownerId
    ? await db.select({ name: users.name }).from(users).where(eq(users.id, incident.ownerId))
    : [];
  const alertRows = await db
    .select({ labels: alerts.labels, startsAt: alerts.startsAt })
    .from(alerts)
    .where(eq(alerts.incidentId, incident.id))
    .orderBy(asc(alerts.startsAt), asc(alerts.fingerprint));
  const events = await db
    .select({
      at: timelineEvents.at,
      kind: timelineEvents.kind,
      actorName: timelineEvents.actorName,
      text: timelineEvents.text,
    })
    .from(timelineEvents)
    .where(eq(timelineEvents.incidentId, incident.id))
    .orderBy(asc(timelineEvents.at), asc(timelineEvents.id));
  // Dry runs changed nothing: they are not part of how the incident was resolved.
  const runs = await db
    .select()
    .from(remediationRuns)
    .where(and(eq(remediationRuns.incidentId, incident.id), eq(remediationRuns.dryRun, false)))
    .orderBy(asc(remediationRuns.requestedAt));

  const services = new Set<string>();
  if (incident.service) services.add(incident.service);
  for (const a of alertRows) if (a.labels[serviceLabel]) services.add(a.labels[serviceLabel]);

  return {
    ref: formatIncidentRef(incident.number),
    title: incident.title,
    severity: incident.severity,
    owner: owner?.name ?? null,
    // An unknown detection time (a declared incident) starts the story when the incident was opened.
    detectedAt: incident.detectedAt ?? incident.createdAt,
    resolvedAt: incident.resolvedAt,
    resolutionNote: incident.resolutionNote,
    autoResolved: incident.autoResolved,
    services: [...services].sort(),
    alerts: alertRows.map((a) => ({ name: describeAlertLabels(a.labels), startsAt: a.startsAt })),
    events,
    remediationRuns: runs.map((r) => ({
      at: r.startedAt ?? r.requestedAt,
      action: r.actionType,
      target: r.target,
      status: r.status,
      requestedBy: r.requestedByName,
    })),
  };
}
