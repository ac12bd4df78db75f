// GET /api/v1/analytics/remediation – auto-remediation success (not available until remediation runs exist)
import { cachedRemediationSuccess } from "@/lib/analytics/cached-verbs";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";

export const GET = apiRoute("GET /api/v1/analytics/remediation", async ({ req, ctx }) =>
  json(await cachedRemediationSuccess({ ctx, input: readQuery(req), ttlMs: getRuntime().config.analyticsCacheTtlMs })),
);
