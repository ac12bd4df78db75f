// DELETE /api/v1/tokens/{id} – revoke a token; it stops working on its next request (admin)
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { apiRoute, json } from "@/lib/http/api-route";

export const DELETE = apiRoute<{ id: string }>("DELETE /api/v1/tokens/{id}", async ({ ctx, params }) =>
  json(await revokeApiToken({ ctx, input: { id: params.id } })),
);
