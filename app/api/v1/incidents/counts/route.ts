// GET /api/v1/incidents/counts – how many incidents match the filters, per severity (the board's header)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { countIncidentsBySeverity } from "@/lib/incidents/list-incidents";

export const GET = apiRoute("GET /api/v1/incidents/counts", async ({ req, ctx }) =>
  json(await countIncidentsBySeverity({ ctx, input: untrusted(readQuery(req)) })),
);
