// POST /api/v1/schedules/{id}/layers – add a layer on top {"name", "anchor", "interval_unit", "interval_count", "participants", "restrictions"?} (admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { addLayer } from "@/lib/oncall/schedules";

export const POST = apiRoute<{ id: string }>("POST /api/v1/schedules/{id}/layers", async ({ req, ctx, params }) =>
  json(await addLayer({ ctx, input: untrusted({ ...(await readJsonObject(req)), id: params.id }) }), { status: 201 }),
);
