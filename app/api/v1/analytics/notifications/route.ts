// GET /api/v1/analytics/notifications – notification volume and failures per channel
import { getNotificationVolume } from "@/lib/analytics/get-notification-volume";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";

export const GET = apiRoute("GET /api/v1/analytics/notifications", async ({ req, ctx }) => json(await getNotificationVolume({ ctx, input: readQuery(req) })));
