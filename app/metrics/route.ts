// GET /metrics – Prometheus text exposition (process, HTTP, open incidents by severity, database up)
import { renderPrometheusMetrics } from "@/lib/operations/prometheus-metrics";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const { database, logger } = getRuntime();
  const { contentType, body } = await renderPrometheusMetrics(database.db, (error) => logger.warn({ err: error }, "metrics: database query failed"));
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
