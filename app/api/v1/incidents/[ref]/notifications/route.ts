// GET /api/v1/incidents/{ref}/notifications – the delivery log: every message, its channel, attempts and outcome
import { apiRoute, json } from "@/lib/http/api-route";
import { listIncidentNotifications } from "@/lib/notifications/list-notifications";

export const GET = apiRoute<{ ref: string }>("GET /api/v1/incidents/{ref}/notifications", async ({ ctx, params }) =>
  json({ data: await listIncidentNotifications({ ctx, input: { ref: params.ref } }) }),
);
