// The /metrics exposition: process and HTTP metrics kept in memory, plus incident gauges read from the
// database at scrape time (the database is the truth, whichever replica is scraped). When the database
// does not answer, the rest is still served with vigil_database_up 0: a scrape failure would hide the
// web server's own error metrics exactly when they matter.
import { count, ne } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { incidents } from "@/db/schema";
import { severities } from "../incidents/schemas";
import { queueBacklog } from "../jobs/worker-liveness";
import { getMetrics } from "../observability/metrics";

export async function renderPrometheusMetrics(db: DbOrTx, onDatabaseError: (error: unknown) => void): Promise<{ contentType: string; body: string }> {
  const metrics = getMetrics();
  try {
    const rows = await db
      .select({ severity: incidents.severity, open: count() })
      .from(incidents)
      .where(ne(incidents.status, "resolved"))
      .groupBy(incidents.severity);
    for (const severity of severities) {
      metrics.openIncidents.set({ severity }, rows.find((r) => r.severity === severity)?.open ?? 0);
    }
    const backlog = await queueBacklog(db);
    metrics.queueDepth.set(backlog.depth);
    metrics.oldestJobAge.set(backlog.oldestAgeSeconds);
    metrics.databaseUp.set(1);
  } catch (error) {
    onDatabaseError(error);
    metrics.openIncidents.reset();
    metrics.databaseUp.set(0);
  }
  return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
}
