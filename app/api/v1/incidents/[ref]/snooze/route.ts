// POST /api/v1/incidents/{ref}/snooze – snooze the incident's alert group (default 1 h; responder)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { snoozeIncident } from "@/lib/maintenance/manage-windows";

export const POST = apiRoute<{ ref: string }>("POST /api/v1/incidents/{ref}/snooze", async ({ req, ctx, params }) =>
  json(await snoozeIncident({ ctx, input: untrusted({ ...(await readJsonObject(req)), ref: params.ref }) }), {
    status: 201,
  }),
);
