// GET /api/v1/escalation-policies/{id} (viewer); PUT – replace the whole policy; DELETE – refused while the routing file names it (admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { notificationSettingsIfUsable } from "@/lib/notifications/settings";
import { deletePolicy, getPolicy, replacePolicy } from "@/lib/oncall/policies";

const routingPolicyNames = () =>
  (notificationSettingsIfUsable()?.routing.routes ?? []).flatMap((r) => (r.escalation ? [r.escalation] : []));

export const GET = apiRoute<{ id: string }>("GET /api/v1/escalation-policies/{id}", async ({ ctx, params }) =>
  json(await getPolicy({ ctx, input: { id: params.id } })),
);

export const PUT = apiRoute<{ id: string }>("PUT /api/v1/escalation-policies/{id}", async ({ req, ctx, params }) =>
  json(
    await replacePolicy({
      ctx,
      input: untrusted({ ...(await readJsonObject(req)), id: params.id }),
      routingPolicyNames: routingPolicyNames(),
    }),
  ),
);

export const DELETE = apiRoute<{ id: string }>("DELETE /api/v1/escalation-policies/{id}", async ({ ctx, params }) =>
  json(await deletePolicy({ ctx, input: { id: params.id }, routingPolicyNames: routingPolicyNames() })),
);
