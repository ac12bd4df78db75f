// The /metrics exposition: process and HTTP metrics kept in memory (for every web process of the machine),
// plus incident gauges read from the database at scrape time (the database is the truth, whichever replica is scraped). When the database
// does not answer, the rest is still served with vigil_database_up 0: a scrape failure would hide the
// web server's own error metrics exactly when they matter.
import { and, count, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { incidents } from "@/db/schema";
import { severities } from "../incidents/schemas";
import { queueBacklog } from "../jobs/worker-liveness";
import { machineExposition } from "../observability/machine-metrics";
import { getMetrics, type Metrics } from "../observability/metrics";

export async function renderPrometheusMetrics(
  db: DbOrTx,
  onDatabaseError: (error: unknown) => void,
): Promise<{ contentType: string; body: string }> {
  const metrics = getMetrics();
  try {
    await readIncidentGauges(db, metrics);
    const backlog = await queueBacklog(db);
    metrics.queueDepth.set(backlog.depth);
    metrics.oldestJobAge.set(backlog.oldestAgeSeconds);
    metrics.databaseUp.set(1);
  } catch (error) {
    onDatabaseError(error);
    for (const gauge of [
      metrics.openIncidents,
      metrics.openIncidentsByStatus,
      metrics.serviceOpenIncidents,
      metrics.falsePositiveIncidents,
    ])
      gauge.reset();
    metrics.databaseUp.set(0);
  }
  // The process-kept metrics summed over the machine's web processes, then the database's gauges once.
  const body = (await machineExposition(metrics.registry)) + (await metrics.scrapeRegistry.metrics());
  return { contentType: metrics.registry.contentType, body };
}

const unresolved = ["open", "acknowledged", "investigating"] as const;

/**
 * Open incidents by severity, by severity and status (every combination, zeros included) and by service;
 * false positives by service. Both queries stay on small index ranges: the unresolved incidents, and a
 * partial index over the false positives (see db/schema/incidents.ts).
 */
async function readIncidentGauges(db: DbOrTx, metrics: Metrics): Promise<void> {
  const open = await db
    .select({ severity: incidents.severity, status: incidents.status, service: incidents.service, n: count() })
    .from(incidents)
    .where(inArray(incidents.status, [...unresolved]))
    .groupBy(incidents.severity, incidents.status, incidents.service);
  const falsePositives = await db
    .select({ severity: incidents.severity, service: incidents.service, n: count() })
    .from(incidents)
    .where(and(eq(incidents.falsePositive, true), eq(incidents.excludeFromMetrics, false)))
    .groupBy(incidents.severity, incidents.service);

  const sum = (pick: (r: (typeof open)[number]) => boolean) => open.filter(pick).reduce((total, r) => total + r.n, 0);
  for (const severity of severities) {
    metrics.openIncidents.set(
      { severity },
      sum((r) => r.severity === severity),
    );
    for (const status of unresolved)
      metrics.openIncidentsByStatus.set(
        { severity, status },
        sum((r) => r.severity === severity && r.status === status),
      );
  }
  // Per service only what exists: a service whose last open incident resolved drops out of the
  // exposition rather than being listed at 0 forever (dashboards use `or vector(0)`).
  metrics.serviceOpenIncidents.reset();
  for (const r of open)
    metrics.serviceOpenIncidents.inc({ incident_service: r.service ?? "none", severity: r.severity }, r.n);
  metrics.falsePositiveIncidents.reset();
  for (const r of falsePositives)
    metrics.falsePositiveIncidents.set({ incident_service: r.service ?? "none", severity: r.severity }, r.n);
}
