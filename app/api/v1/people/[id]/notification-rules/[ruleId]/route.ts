// DELETE /api/v1/people/{id}/notification-rules/{ruleId} – remove a notification rule (your own as responder, anyone's as admin)
import { apiRoute, json } from "@/lib/http/api-route";
import { removeNotificationRule } from "@/lib/oncall/people";

export const DELETE = apiRoute<{ id: string; ruleId: string }>(
  "DELETE /api/v1/people/{id}/notification-rules/{ruleId}",
  async ({ ctx, params }) =>
    json(await removeNotificationRule({ ctx, input: { id: params.id, rule_id: params.ruleId } })),
);
