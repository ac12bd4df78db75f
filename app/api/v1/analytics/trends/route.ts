// GET /api/v1/analytics/trends – MTTD / MTTA / MTTR per day or week, per severity, service or team
import { cachedTrends } from "@/lib/analytics/cached-verbs";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";

export const GET = apiRoute("GET /api/v1/analytics/trends", async ({ req, ctx }) =>
  json(await cachedTrends({ ctx, input: readQuery(req), ttlMs: getRuntime().config.analyticsCacheTtlMs })),
);
