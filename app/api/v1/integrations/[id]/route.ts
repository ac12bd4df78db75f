// GET /api/v1/integrations/{id} – one integration and its last 50 payloads; PATCH – edit; DELETE – delete
// it and revoke its secret (admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { deleteIntegration, getIntegration, updateIntegration } from "@/lib/intake/integrations";

type Params = { id: string };

export const GET = apiRoute<Params>("GET /api/v1/integrations/{id}", async ({ ctx, params }) =>
  json(await getIntegration({ ctx, input: { id: params.id } })),
);

export const PATCH = apiRoute<Params>("PATCH /api/v1/integrations/{id}", async ({ req, ctx, params }) =>
  json(await updateIntegration({ ctx, input: untrusted({ ...(await readJsonObject(req)), id: params.id }) })),
);

export const DELETE = apiRoute<Params>("DELETE /api/v1/integrations/{id}", async ({ ctx, params }) =>
  json(await deleteIntegration({ ctx, input: { id: params.id } })),
);
