// GET /api/health – {"status":"ok","database":"ok"}; 503 when the database does not answer
import { checkHealth } from "@/lib/operations/health";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const report = await checkHealth(getRuntime().database.db);
  return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
