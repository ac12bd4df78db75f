// GET /api/health – {"status","database","worker"}; 503 only when the database does not answer
import { checkHealth } from "@/lib/operations/health";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const { database, config } = getRuntime();
  const report = await checkHealth(database.db, config.worker.staleAfterMs);
  return Response.json(report, {
    status: report.database === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
