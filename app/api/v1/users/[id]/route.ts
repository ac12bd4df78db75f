// PATCH /api/v1/users/{id} – set a user's role {"role": "responder", "role_pinned": true}, Slack link {"slack_user_id": "U024BE7LH"}, and/or disable (signing them out everywhere) or enable them {"disabled": true} (admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { updateUser } from "@/lib/users/manage-users";

export const PATCH = apiRoute<{ id: string }>("PATCH /api/v1/users/{id}", async ({ req, ctx, params }) =>
  json(await updateUser({ ctx, input: untrusted({ ...(await readJsonObject(req)), id: params.id }) })),
);
