// GET /api/v1/escalation-policies – every policy with its lint warnings (viewer); POST – create {"name", "repeat", "is_default", "steps": [...]} (admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { createPolicy, listPolicies } from "@/lib/oncall/policies";

export const GET = apiRoute("GET /api/v1/escalation-policies", async ({ ctx }) =>
  json({ data: await listPolicies({ ctx, input: {} }) }),
);

export const POST = apiRoute("POST /api/v1/escalation-policies", async ({ req, ctx }) =>
  json(await createPolicy({ ctx, input: untrusted(await readJsonObject(req)) }), { status: 201 }),
);
