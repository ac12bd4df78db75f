// Incident counters and histograms for Prometheus, recorded by the verbs after their transaction returns,
// so a change that rolled back never counts. What a change means is a pure function of the row before
// and after it; recording is the only side effect.
import type { IncidentRow } from "@/db/schema";
import { getMetrics } from "./metrics";

/** One incident's change within a transaction; `before` is null when the transaction created it. */
export interface IncidentTransition {
  before: IncidentRow | null;
  after: IncidentRow;
}

export interface IncidentMilestones {
  created: boolean;
  /** Seconds from creation to the first acknowledgement, when this change acknowledged it. */
  acknowledgedAfter: number | null;
  /** Seconds from creation to the first resolution, when this change resolved it. */
  resolvedAfter: number | null;
}

/**
 * Acknowledgement happens once (acknowledged_at is set once). Resolution is counted at the first one only,
 * so an incident that flaps ten times weighs once; the analytics API has the figure to the final resolution.
 * Drills and tests (excluded from metrics) are not timed; flagging an incident later cannot take back
 * what was observed, which the database-backed analytics do reflect.
 */
export function incidentMilestones({ before, after }: IncidentTransition): IncidentMilestones {
  const seconds = (at: Date | null) => (at ? Math.max(0, (at.getTime() - after.createdAt.getTime()) / 1000) : null);
  const timed = !after.excludeFromMetrics;
  const acknowledgedNow = !before?.acknowledgedAt && after.acknowledgedAt !== null;
  const resolvedNow = before?.status !== "resolved" && after.status === "resolved" && after.reopenedCount === 0;
  return {
    created: before === null,
    acknowledgedAfter: timed && acknowledgedNow ? seconds(after.acknowledgedAt) : null,
    resolvedAfter: timed && resolvedNow ? seconds(after.resolvedAt) : null,
  };
}

/** Call after the transaction that made the changes has committed. */
export function recordIncidentTransitions(transitions: readonly IncidentTransition[]): void {
  const metrics = getMetrics();
  for (const transition of transitions) {
    const { after } = transition;
    const labels = { incident_service: after.service ?? "none", severity: after.severity };
    const { created, acknowledgedAfter, resolvedAfter } = incidentMilestones(transition);
    if (created) metrics.incidentsCreated.inc(labels);
    if (acknowledgedAfter !== null) metrics.timeToAcknowledge.observe(labels, acknowledgedAfter);
    if (resolvedAfter !== null) metrics.timeToResolve.observe(labels, resolvedAfter);
  }
}

/** Alert copies a source delivered, re-sends included (the deduplication figure's numerator); after commit. */
export function recordAlertsReceived(source: string, count: number): void {
  if (count > 0) getMetrics().alertsReceived.inc({ source }, count);
}
