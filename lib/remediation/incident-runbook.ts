// The runbook an incident follows, with what each of its actions would act on for each of the incident's
// alerts: what the incident page, `/runbook show INC-123` and the request verb work from.
import { asc, eq, sql } from "drizzle-orm";
import { builtOnce } from "@/db/built-once";
import type { DbOrTx } from "@/db/client";
import { alerts, type IncidentRow } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { findIncident } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { IncidentRefInput } from "../incidents/schemas";
import { parseInput } from "../input";
import type { TemplateContext } from "../runbooks/param-template";
import type { RunbookAction } from "../runbooks/runbook-document";
import {
  alertsForRunbook,
  matchRunbook,
  type AlertFacts,
  type CatalogRunbook,
  type RunbookMatch,
} from "../runbooks/runbook-matching";
import { catalogRunbookOf, findRunbook, loadCatalog, toRunbookDetail } from "../runbooks/runbook-store";
import { RunbookSlugInput } from "../runbooks/schemas";
import { ActionResolutionError, resolveActionTarget } from "./action-target";
import type { IncidentRunbook } from "./schemas";

export async function incidentAlerts(db: DbOrTx, incidentId: string): Promise<AlertFacts[]> {
  const rows = await alertsOfIncident(db).execute({ incidentId });
  return rows.map((a) => ({
    fingerprint: a.fingerprint,
    status: a.status,
    labels: a.labels,
    annotations: a.annotations,
  }));
}

/** Read for every incident the remediation trigger looks at: built once (db/built-once.ts). */
const alertsOfIncident = builtOnce((db) =>
  db
    .select()
    .from(alerts)
    .where(eq(alerts.incidentId, sql.placeholder("incidentId")))
    .orderBy(asc(alerts.status), asc(alerts.startsAt))
    .prepare("alerts_of_incident"),
);

export async function matchIncidentRunbook(
  db: DbOrTx,
  incident: IncidentRow,
  facts?: AlertFacts[],
): Promise<{ match: RunbookMatch | null; alerts: AlertFacts[] }> {
  // The catalog and the alerts in one round trip.
  const [catalog, alertFacts] = await Promise.all([loadCatalog(db), facts ?? incidentAlerts(db, incident.id)]);
  return { match: incidentRunbookIn(catalog, incident, alertFacts), alerts: alertFacts };
}

/** The runbook of the catalog the incident follows, if any: by its runbook URL, else by its alerts. */
export const incidentRunbookIn = (
  catalog: CatalogRunbook[],
  incident: Pick<IncidentRow, "runbookUrl" | "labels">,
  alertFacts: AlertFacts[],
): RunbookMatch | null =>
  matchRunbook(catalog, { runbookUrl: incident.runbookUrl, labels: incident.labels }, alertFacts);

/** What fills an action's templates: this alert's labels and annotations (or the incident's labels), and the incident. */
export function templateContextFor(incident: IncidentRow, alert: AlertFacts | null): TemplateContext {
  return {
    labels: alert?.labels ?? incident.labels,
    annotations: alert?.annotations ?? {},
    incident: {
      service: incident.service,
      team: incident.team,
      ref: formatIncidentRef(incident.number),
      severity: incident.severity,
    },
  };
}

/** The alerts an action of this runbook is for; a declared incident (no such alert) uses its own labels. */
export const actionSubjects = (runbook: CatalogRunbook, alertFacts: AlertFacts[]): (AlertFacts | null)[] => {
  const subjects = alertsForRunbook(runbook, alertFacts);
  return subjects.length > 0 ? subjects : [null];
};

function preview(action: RunbookAction, incident: IncidentRow, subject: AlertFacts | null) {
  const base = { alert: subject?.fingerprint ?? null, alert_name: subject?.labels.alertname ?? null };
  try {
    return {
      ...base,
      target: resolveActionTarget(action, templateContextFor(incident, subject)).target,
      problem: null,
    };
  } catch (error) {
    if (!(error instanceof ActionResolutionError)) throw error;
    return { ...base, target: null, problem: error.message };
  }
}

const IncidentRunbookInput = IncidentRefInput.extend({ runbook: RunbookSlugInput.shape.slug.optional() });

/** The incident's runbook (or the one named), with each action's target per alert. */
export async function getIncidentRunbook({
  ctx,
  input,
}: VerbArgs<{ ref: string; runbook?: string }>): Promise<IncidentRunbook> {
  authorize(ctx.actor, "runbook.read");
  const { ref, runbook: slug } = parseInput(IncidentRunbookInput, input);
  const incident = await findIncident(ctx.db, ref);
  const alertFacts = await incidentAlerts(ctx.db, incident.id);
  let chosen: { runbook: CatalogRunbook; reason: string } | null;
  if (slug) {
    const stored = await findRunbook(ctx.db, slug);
    chosen = { runbook: catalogRunbookOf(stored), reason: "chosen by name" };
  } else {
    chosen = (await matchIncidentRunbook(ctx.db, incident, alertFacts)).match;
  }
  if (!chosen) return { runbook: null, reason: null, targets: {} };
  const stored = await findRunbook(ctx.db, chosen.runbook.slug);
  const subjects = actionSubjects(chosen.runbook, alertFacts);
  const targets = Object.fromEntries(
    chosen.runbook.document.frontMatter.actions.map((action) => [
      action.id,
      subjects.map((s) => preview(action, incident, s)),
    ]),
  );
  return { runbook: toRunbookDetail(stored), reason: chosen.reason, targets };
}
