// GET /api/v1/incidents/{ref} – one incident; PATCH – edit fields and/or move its status forward
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { getIncident } from "@/lib/incidents/get-incident";
import { updateIncident } from "@/lib/incidents/update-incident";

type Params = { ref: string };

export const GET = apiRoute<Params>("GET /api/v1/incidents/{ref}", async ({ ctx, params }) =>
  json(await getIncident({ ctx, input: { ref: params.ref } })),
);

export const PATCH = apiRoute<Params>("PATCH /api/v1/incidents/{ref}", async ({ req, ctx, params }) => {
  const body = await readJsonObject(req);
  const { incident } = await updateIncident({ ctx, input: untrusted({ ...body, ref: params.ref }) });
  return json(incident);
});
