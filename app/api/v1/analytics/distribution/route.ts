// GET /api/v1/analytics/distribution – how times to acknowledge and to resolve spread over fixed bins
import { cachedDistribution } from "@/lib/analytics/cached-verbs";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";

export const GET = apiRoute("GET /api/v1/analytics/distribution", async ({ req, ctx }) =>
  json(await cachedDistribution({ ctx, input: readQuery(req), ttlMs: getRuntime().config.analyticsCacheTtlMs })),
);
