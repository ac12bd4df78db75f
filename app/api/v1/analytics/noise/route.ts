// GET /api/v1/analytics/noise – false positives, alerts per incident, noisiest alertnames, flapping groups
import { getAlertNoise } from "@/lib/analytics/get-alert-noise";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";

export const GET = apiRoute("GET /api/v1/analytics/noise", async ({ req, ctx }) => json(await getAlertNoise({ ctx, input: readQuery(req) })));
