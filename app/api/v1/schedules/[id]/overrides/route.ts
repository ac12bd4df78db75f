// POST /api/v1/schedules/{id}/overrides – {"kind": "replace"|"add", "user_id", "replaces_user_id"?, "start", "end"}; a later override stacks on earlier ones (responder)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { addOverride } from "@/lib/oncall/schedules";

export const POST = apiRoute<{ id: string }>("POST /api/v1/schedules/{id}/overrides", async ({ req, ctx, params }) =>
  json(await addOverride({ ctx, input: untrusted({ ...(await readJsonObject(req)), id: params.id }) }), {
    status: 201,
  }),
);
