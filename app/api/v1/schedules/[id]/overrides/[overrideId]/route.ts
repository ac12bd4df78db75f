// DELETE /api/v1/schedules/{id}/overrides/{overrideId} – remove an override (responder)
import { apiRoute, json } from "@/lib/http/api-route";
import { removeOverride } from "@/lib/oncall/schedules";

export const DELETE = apiRoute<{ id: string; overrideId: string }>(
  "DELETE /api/v1/schedules/{id}/overrides/{overrideId}",
  async ({ ctx, params }) =>
    json(await removeOverride({ ctx, input: { id: params.id, override_id: params.overrideId } })),
);
