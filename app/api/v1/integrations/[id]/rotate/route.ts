// POST /api/v1/integrations/{id}/rotate – a new secret, shown once; the old one stops working (admin)
import { apiRoute, json } from "@/lib/http/api-route";
import { rotateIntegrationSecret } from "@/lib/intake/integrations";

export const POST = apiRoute<{ id: string }>("POST /api/v1/integrations/{id}/rotate", async ({ ctx, params }) =>
  json(await rotateIntegrationSecret({ ctx, input: { id: params.id } }), { headers: { "cache-control": "no-store" } }),
);
