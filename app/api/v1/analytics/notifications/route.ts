// GET /api/v1/analytics/notifications – notification volume and failures per channel
import { cachedNotificationVolume } from "@/lib/analytics/cached-verbs";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";

export const GET = apiRoute("GET /api/v1/analytics/notifications", async ({ req, ctx }) =>
  json(await cachedNotificationVolume({ ctx, input: readQuery(req), ttlMs: getRuntime().config.analyticsCacheTtlMs })),
);
