// GET /api/v1/analytics/deduplication – alert copies received against notifications sent, per day, service and team
import { cachedDeduplication } from "@/lib/analytics/cached-verbs";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";

export const GET = apiRoute("GET /api/v1/analytics/deduplication", async ({ req, ctx }) =>
  json(await cachedDeduplication({ ctx, input: readQuery(req), ttlMs: getRuntime().config.analyticsCacheTtlMs })),
);
