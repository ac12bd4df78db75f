// POST /api/v1/people/{id}/contact-methods/{methodId}/test – queue a test message to this contact method (your own as responder, anyone's as admin)
import { apiRoute, json } from "@/lib/http/api-route";
import { sendTestNotification } from "@/lib/oncall/people";

export const POST = apiRoute<{ id: string; methodId: string }>(
  "POST /api/v1/people/{id}/contact-methods/{methodId}/test",
  async ({ ctx, params }) =>
    json(await sendTestNotification({ ctx, input: { id: params.id, method_id: params.methodId } }), { status: 202 }),
);
