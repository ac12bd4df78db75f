// GET /api/v1/analytics/summary – MTTD / MTTA / MTTR (mean, p50, p90 in seconds) per severity, service or team
import { getAnalyticsSummary } from "@/lib/analytics/get-analytics-summary";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";

export const GET = apiRoute("GET /api/v1/analytics/summary", async ({ req, ctx }) => json(await getAnalyticsSummary({ ctx, input: readQuery(req) })));
