// GET /metrics – Prometheus text exposition (process, HTTP, open incidents by severity)
import { renderPrometheusMetrics } from "@/lib/operations/prometheus-metrics";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    const { contentType, body } = await renderPrometheusMetrics(getRuntime().database.db);
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  } catch (error) {
    getRuntime().logger.warn({ err: error }, "metrics scrape failed");
    return new Response("# metrics unavailable: database unreachable\n", { status: 503, headers: { "content-type": "text/plain" } });
  }
}
