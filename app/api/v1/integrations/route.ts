// GET /api/v1/integrations – alert sources with their activity; POST – create one, its secret shown once (admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { createIntegration, listIntegrations } from "@/lib/intake/integrations";

export const GET = apiRoute("GET /api/v1/integrations", async ({ ctx }) =>
  json({ data: await listIntegrations({ ctx, input: {} }) }),
);

export const POST = apiRoute("POST /api/v1/integrations", async ({ req, ctx }) =>
  json(await createIntegration({ ctx, input: untrusted(await readJsonObject(req)) }), {
    status: 201,
    headers: { "cache-control": "no-store" },
  }),
);
