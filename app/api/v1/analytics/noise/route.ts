// GET /api/v1/analytics/noise – false positives, alerts per incident, noisiest alertnames, flapping groups
import { cachedNoise } from "@/lib/analytics/cached-verbs";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";

export const GET = apiRoute("GET /api/v1/analytics/noise", async ({ req, ctx }) =>
  json(await cachedNoise({ ctx, input: readQuery(req), ttlMs: getRuntime().config.analyticsCacheTtlMs })),
);
