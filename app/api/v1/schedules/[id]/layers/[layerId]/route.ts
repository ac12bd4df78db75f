// PUT /api/v1/schedules/{id}/layers/{layerId} – replace a layer's settings; DELETE – remove it (admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { removeLayer, replaceLayer } from "@/lib/oncall/schedules";

type Params = { id: string; layerId: string };

export const PUT = apiRoute<Params>("PUT /api/v1/schedules/{id}/layers/{layerId}", async ({ req, ctx, params }) =>
  json(
    await replaceLayer({
      ctx,
      input: untrusted({ ...(await readJsonObject(req)), id: params.id, layer_id: params.layerId }),
    }),
  ),
);

export const DELETE = apiRoute<Params>("DELETE /api/v1/schedules/{id}/layers/{layerId}", async ({ ctx, params }) =>
  json(await removeLayer({ ctx, input: { id: params.id, layer_id: params.layerId } })),
);
