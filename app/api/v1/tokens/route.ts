// GET /api/v1/tokens – API tokens (never their secrets); POST – create one with a scope and optional expiry, secret shown once (admin)
import { createApiToken, listApiTokens } from "@/lib/auth/api-tokens";
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";

export const GET = apiRoute("GET /api/v1/tokens", async ({ ctx }) =>
  json({ data: await listApiTokens({ ctx, input: {} }) }),
);

export const POST = apiRoute("POST /api/v1/tokens", async ({ req, ctx }) =>
  json(await createApiToken({ ctx, input: untrusted(await readJsonObject(req)) }), {
    status: 201,
    headers: { "cache-control": "no-store" },
  }),
);
