// GET /api/v1/analytics/oncall – escalation steps reached and time to acknowledge, pages and nights per person
import { cachedOncallLoad } from "@/lib/analytics/cached-verbs";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";

export const GET = apiRoute("GET /api/v1/analytics/oncall", async ({ req, ctx }) =>
  json(await cachedOncallLoad({ ctx, input: readQuery(req), ttlMs: getRuntime().config.analyticsCacheTtlMs })),
);
