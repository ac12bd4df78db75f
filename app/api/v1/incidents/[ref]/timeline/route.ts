// GET /api/v1/incidents/{ref}/timeline – the incident's events; POST – add a note {"text": "..."}
import { untrusted } from "@/lib/context";
import { apiRoute, json, jsonText } from "@/lib/http/api-route";
import { readJsonObject, readQuery } from "@/lib/http/request";
import { addTimelineEvent } from "@/lib/incidents/add-timeline-event";
import { listTimelineEventsJson } from "@/lib/incidents/get-incident";
import { getRuntime } from "@/lib/runtime";

type Params = { ref: string };

export const GET = apiRoute<Params>("GET /api/v1/incidents/{ref}/timeline", async ({ req, ctx, params }) =>
  jsonText(
    await listTimelineEventsJson(
      { ctx, input: untrusted({ ...readQuery(req), ref: params.ref }) },
      getRuntime().incidentReads,
    ),
  ),
);

export const POST = apiRoute<Params>("POST /api/v1/incidents/{ref}/timeline", async ({ req, ctx, params }) => {
  const body = await readJsonObject(req);
  return json(await addTimelineEvent({ ctx, input: untrusted({ ...body, ref: params.ref }) }), { status: 201 });
});
