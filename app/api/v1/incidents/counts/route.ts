// GET /api/v1/incidents/counts – how many incidents match the filters, per severity (the board's header)
import { untrusted } from "@/lib/context";
import { apiRoute, jsonText } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { countIncidentsBySeverityJson } from "@/lib/incidents/list-incidents";
import { getRuntime } from "@/lib/runtime";

export const GET = apiRoute("GET /api/v1/incidents/counts", async ({ req, ctx }) =>
  jsonText(await countIncidentsBySeverityJson({ ctx, input: untrusted(readQuery(req)) }, getRuntime().incidentReads)),
);
