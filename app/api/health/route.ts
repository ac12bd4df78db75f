// GET /api/health – {"status","database","worker"} (and "webProcess", the answering process's id, when
// WEB_CONCURRENCY runs several); 503 only when the database does not answer
import { isClusteredWebProcess } from "@/lib/observability/machine-metrics";
import { checkHealth } from "@/lib/operations/health";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const { database, config } = getRuntime();
  const report = await checkHealth(database.db, config.worker.staleAfterMs);
  const body = isClusteredWebProcess() ? { ...report, webProcess: process.pid } : report;
  return Response.json(body, {
    status: report.database === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
