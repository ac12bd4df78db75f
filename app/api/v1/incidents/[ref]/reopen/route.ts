// POST /api/v1/incidents/{ref}/reopen – reopen a resolved incident, with an optional {"reason": "..."}
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { reopenIncident } from "@/lib/incidents/reopen-incident";

export const POST = apiRoute<{ ref: string }>("POST /api/v1/incidents/{ref}/reopen", async ({ req, ctx, params }) => {
  const body = await readJsonObject(req);
  return json((await reopenIncident({ ctx, input: untrusted({ ...body, ref: params.ref }) })).incident);
});
