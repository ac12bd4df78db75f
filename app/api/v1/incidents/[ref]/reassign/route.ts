// POST /api/v1/incidents/{ref}/reassign – page a person (the new owner) or another policy instead (responder)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { reassignIncident } from "@/lib/escalation/manual";

export const POST = apiRoute<{ ref: string }>("POST /api/v1/incidents/{ref}/reassign", async ({ req, ctx, params }) =>
  json(await reassignIncident({ ctx, input: untrusted({ ...(await readJsonObject(req)), ref: params.ref }) })),
);
