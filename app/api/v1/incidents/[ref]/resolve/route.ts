// POST /api/v1/incidents/{ref}/resolve – resolve, with an optional {"resolution_note": "..."}
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { resolveIncident } from "@/lib/incidents/resolve-incident";

export const POST = apiRoute<{ ref: string }>("POST /api/v1/incidents/{ref}/resolve", async ({ req, ctx, params }) => {
  const body = await readJsonObject(req);
  return json((await resolveIncident({ ctx, input: untrusted({ ...body, ref: params.ref }) })).incident);
});
