// GET /api/v1/incidents/{ref} – one incident; PATCH – edit fields and/or move its status forward
import { untrusted } from "@/lib/context";
import { apiRoute, json, jsonText } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { getIncidentJson } from "@/lib/incidents/get-incident";
import { updateIncident } from "@/lib/incidents/update-incident";
import { getRuntime } from "@/lib/runtime";

type Params = { ref: string };

export const GET = apiRoute<Params>("GET /api/v1/incidents/{ref}", async ({ ctx, params }) =>
  jsonText(await getIncidentJson({ ctx, input: { ref: params.ref } }, getRuntime().incidentReads)),
);

export const PATCH = apiRoute<Params>("PATCH /api/v1/incidents/{ref}", async ({ req, ctx, params }) => {
  const body = await readJsonObject(req);
  const { incident } = await updateIncident({ ctx, input: untrusted({ ...body, ref: params.ref }) });
  return json(incident);
});
