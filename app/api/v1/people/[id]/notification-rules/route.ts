// POST /api/v1/people/{id}/notification-rules – add {"contact_method_id", "urgency": "high"|"low", "delay_minutes"} (your own as responder, anyone's as admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { addNotificationRule } from "@/lib/oncall/people";

export const POST = apiRoute<{ id: string }>(
  "POST /api/v1/people/{id}/notification-rules",
  async ({ req, ctx, params }) =>
    json(await addNotificationRule({ ctx, input: untrusted({ ...(await readJsonObject(req)), id: params.id }) }), {
      status: 201,
    }),
);
