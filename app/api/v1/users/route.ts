// GET /api/v1/users – everyone who can sign in, with role and whether an admin pinned it (admin)
import { apiRoute, json } from "@/lib/http/api-route";
import { listUsers } from "@/lib/users/manage-users";

export const GET = apiRoute("GET /api/v1/users", async ({ ctx }) =>
  json({ data: await listUsers({ ctx, input: {} }) }),
);
