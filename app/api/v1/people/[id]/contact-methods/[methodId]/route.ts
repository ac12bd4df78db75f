// DELETE /api/v1/people/{id}/contact-methods/{methodId} – remove a contact method and its rules (your own as responder, anyone's as admin)
import { apiRoute, json } from "@/lib/http/api-route";
import { removeContactMethod } from "@/lib/oncall/people";

export const DELETE = apiRoute<{ id: string; methodId: string }>(
  "DELETE /api/v1/people/{id}/contact-methods/{methodId}",
  async ({ ctx, params }) =>
    json(await removeContactMethod({ ctx, input: { id: params.id, method_id: params.methodId } })),
);
