// GET /api/v1/incidents – list incidents (filters, keyset pagination); POST – declare an incident
import { untrusted } from "@/lib/context";
import { apiRoute, json, jsonText } from "@/lib/http/api-route";
import { readIdempotencyKey, withIdempotencyKey } from "@/lib/http/idempotency";
import { readJsonObject, readQuery } from "@/lib/http/request";
import { createIncident } from "@/lib/incidents/create-incident";
import { listIncidentsJson } from "@/lib/incidents/list-incidents";
import type { Incident } from "@/lib/incidents/schemas";
import { getRuntime } from "@/lib/runtime";

export const GET = apiRoute("GET /api/v1/incidents", async ({ req, ctx }) =>
  jsonText(await listIncidentsJson({ ctx, input: readQuery(req) }, getRuntime().incidentReads)),
);

export const POST = apiRoute("POST /api/v1/incidents", async ({ req, ctx }) => {
  const body = await readJsonObject(req);
  const key = readIdempotencyKey(req);
  const declare = async (c: typeof ctx) => ({
    status: 201,
    body: (await createIncident({ ctx: c, input: untrusted(body) })).incident,
  });
  const result = key
    ? await withIdempotencyKey(ctx, { key, method: "POST", path: "/api/v1/incidents", body }, declare)
    : { ...(await declare(ctx)), replayed: false };
  const incident = result.body as Incident;
  return json(incident, {
    status: result.status,
    headers: {
      location: `${getRuntime().config.appUrl}/api/v1/incidents/${incident.ref}`,
      ...(result.replayed ? { "idempotent-replayed": "true" } : {}),
    },
  });
});
