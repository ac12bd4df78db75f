// GET /metrics – Prometheus text exposition (process, HTTP, incidents, database up); with METRICS_TOKEN
// set, only for `Authorization: Bearer <METRICS_TOKEN>`.
import { AppError } from "@/lib/errors";
import { problemResponse } from "@/lib/http/problem";
import { metricsAccessAllowed } from "@/lib/operations/metrics-access";
import { renderPrometheusMetrics } from "@/lib/operations/prometheus-metrics";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  const { config, database, logger } = getRuntime();
  if (!metricsAccessAllowed(req.headers.get("authorization"), config.metricsToken)) {
    return problemResponse(
      new AppError("unauthenticated", "This /metrics wants the scraper to send METRICS_TOKEN as a Bearer token"),
      { instance: "/metrics" },
    );
  }
  const { contentType, body } = await renderPrometheusMetrics(database.db, (error) =>
    logger.warn({ err: error }, "metrics: database query failed"),
  );
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
