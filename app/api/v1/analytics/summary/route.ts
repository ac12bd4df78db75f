// GET /api/v1/analytics/summary – MTTD / MTTA / MTTR (mean, p50, p90 in seconds) per severity, service or team
import { cachedSummary } from "@/lib/analytics/cached-verbs";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";

export const GET = apiRoute("GET /api/v1/analytics/summary", async ({ req, ctx }) =>
  json(await cachedSummary({ ctx, input: readQuery(req), ttlMs: getRuntime().config.analyticsCacheTtlMs })),
);
