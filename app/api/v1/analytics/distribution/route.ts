// GET /api/v1/analytics/distribution – how times to acknowledge and to resolve spread over fixed bins
import { getDurationDistribution } from "@/lib/analytics/get-duration-distribution";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";

export const GET = apiRoute("GET /api/v1/analytics/distribution", async ({ req, ctx }) => json(await getDurationDistribution({ ctx, input: readQuery(req) })));
