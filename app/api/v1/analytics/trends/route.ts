// GET /api/v1/analytics/trends – MTTD / MTTA / MTTR per day or week, per severity, service or team
import { getDurationTrends } from "@/lib/analytics/get-duration-trends";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";

export const GET = apiRoute("GET /api/v1/analytics/trends", async ({ req, ctx }) => json(await getDurationTrends({ ctx, input: readQuery(req) })));
