// GET /api/v1/analytics/remediation – auto-remediation success (not available until remediation runs exist)
import { getRemediationSuccess } from "@/lib/analytics/get-remediation-success";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";

export const GET = apiRoute("GET /api/v1/analytics/remediation", async ({ req, ctx }) => json(await getRemediationSuccess({ ctx, input: readQuery(req) })));
