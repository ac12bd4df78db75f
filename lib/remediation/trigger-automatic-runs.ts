// The automatic side of runbooks: when an incident opens (or reopens, or new alerts join it), each action
// its runbook marks `auto` is requested for each alert it is for, through the same verb and policy as a
// person's request, as "Vigil auto-remediation". An action is requested once per target per opening of
// the incident: a retried job, or a second pod of the same deployment firing a minute later, does not
// restart it again.
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { remediationRuns, timelineEvents, type TimelineEventRow } from "@/db/schema";
import { systemActor, type Ctx } from "../context";
import { findIncident, readEvent, readEventLockingIncident } from "../incidents/incident-store";
import { mutingWindows } from "../maintenance/muting";
import type { Logger } from "../observability/logger";
import type { AlertFacts } from "../runbooks/runbook-matching";
import { ActionResolutionError, resolveActionTarget } from "./action-target";
import { actionSubjects, incidentAlerts, incidentRunbookIn, templateContextFor } from "./incident-runbook";
import { loadCatalog } from "../runbooks/runbook-store";
import { triggerEventKinds } from "./job-names";
import { requestRemediation } from "./request-remediation";
import type { RemediationSettings } from "./settings";
import { advisoryLocks } from "@/db/advisory-locks";

export const AUTO_ACTOR_NAME = "Vigil auto-remediation";

export async function triggerAutomaticRuns(
  db: DbOrTx,
  eventId: number,
  settings: RemediationSettings,
  now: Date,
  log: Logger,
): Promise<number> {
  // Most events start nothing (no runbook with an automatic action matches their incident): find that out
  // with plain reads, and open a transaction with the incident's lock only when there may be work.
  const seen = await readEvent(db, eventId);
  if (!seen || !triggerEventKinds.has(seen.kind) || !(await automaticActionsOf(db, seen))) return 0;
  return db.transaction(async (tx) => {
    // One trigger per incident at a time: two events of one incident must see each other's runs.
    const event = await readEventLockingIncident(tx, eventId, advisoryLocks.remediationTrigger);
    if (!event || !triggerEventKinds.has(event.kind)) return 0;
    const found = await automaticActionsOf(tx, event);
    if (!found) return 0;
    const { incident, alerts, match, autoActions } = found;
    // A maintenance window or snooze holds automatic actions back with the paging (the timeline says so).
    if ((await mutingWindows(tx, incident, now)).length > 0) {
      log.info({ incident: incident.id, event: eventId }, "automatic remediation held by a maintenance window");
      return 0;
    }

    const subjects = subjectsOf(
      event,
      actionSubjects(
        match.runbook,
        alerts.filter((a) => a.status === "firing").length ? alerts.filter((a) => a.status === "firing") : alerts,
      ),
    );
    const since = await openingOf(tx, event);
    const earlier = await tx
      .select({ actionId: remediationRuns.actionId, rateKey: remediationRuns.rateKey })
      .from(remediationRuns)
      .where(
        and(
          eq(remediationRuns.incidentId, incident.id),
          eq(remediationRuns.automatic, true),
          gte(remediationRuns.requestedAt, since),
          inArray(
            remediationRuns.actionId,
            autoActions.map((a) => a.id),
          ),
        ),
      );
    const done = new Set(earlier.map((r) => `${r.actionId} ${r.rateKey}`));

    const ctx: Ctx = { db: tx, actor: systemActor(AUTO_ACTOR_NAME), now };
    let requested = 0;
    for (const action of autoActions) {
      for (const subject of subjects) {
        const key = `${action.id} ${rateKeyOf(action, incident, subject)}`;
        if (done.has(key)) continue;
        done.add(key);
        const run = await requestRemediation({
          ctx,
          input: {
            ref: incident.id,
            runbook: match.runbook.slug,
            action: action.id,
            ...(subject ? { alert: subject.fingerprint } : {}),
          },
          settings,
          automatic: true,
        });
        log.info(
          { run: run.id, incident: incident.id, action: action.id, target: run.target, status: run.status },
          "automatic remediation requested",
        );
        requested++;
      }
    }
    return requested;
  });
}

/** The automatic actions of the runbook the event's incident follows, with what they were read from; or null. */
async function automaticActionsOf(db: DbOrTx, event: TimelineEventRow) {
  // The incident, its alerts and the runbook catalog in one round trip.
  const [incident, alerts, catalog] = await Promise.all([
    findIncident(db, event.incidentId),
    incidentAlerts(db, event.incidentId),
    loadCatalog(db),
  ]);
  const match = incidentRunbookIn(catalog, incident, alerts);
  // Actions waiting for an admin's approval (a Runbook resource's) start nothing, not even a denied run.
  const autoActions = match?.runbook.actionsInactive
    ? []
    : (match?.runbook.document.frontMatter.actions.filter((a) => a.auto) ?? []);
  return match && autoActions.length > 0 ? { incident, alerts, match, autoActions } : null;
}

/** For alerts joining an incident, only the new ones; for an opening, every alert the runbook is for. */
function subjectsOf(event: TimelineEventRow, subjects: (AlertFacts | null)[]): (AlertFacts | null)[] {
  if (event.kind !== "alerts_fired") return subjects;
  const fired = new Set(
    Array.isArray(event.data.alerts) ? event.data.alerts.filter((f): f is string => typeof f === "string") : [],
  );
  return subjects.filter((s) => s !== null && fired.has(s.fingerprint));
}

/** When the incident's current opening began: this event for an opening, else the latest opening before it. */
async function openingOf(db: DbOrTx, event: TimelineEventRow): Promise<Date> {
  if (event.kind !== "alerts_fired") return event.at;
  const [opening] = await db
    .select({ at: sql<Date>`max(${timelineEvents.at})` })
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, event.incidentId), inArray(timelineEvents.kind, ["created", "reopened"])));
  return opening?.at ? new Date(opening.at) : new Date(0);
}

/** The rate key the request will have (or a stand-in when the action cannot be resolved for this alert). */
function rateKeyOf(
  action: Parameters<typeof resolveActionTarget>[0],
  incident: Parameters<typeof templateContextFor>[0],
  subject: AlertFacts | null,
): string {
  try {
    return resolveActionTarget(action, templateContextFor(incident, subject)).rateKey;
  } catch (error) {
    if (!(error instanceof ActionResolutionError)) throw error;
    return `${action.type} (unresolved)`;
  }
}
