// GET /api/v1/incidents/{ref}/escalation – the policy the incident follows and why, where its run stands, its pages
import { readIncidentEscalation } from "@/lib/escalation/read-escalation";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute<{ ref: string }>("GET /api/v1/incidents/{ref}/escalation", async ({ ctx, params }) =>
  json(await readIncidentEscalation({ ctx, input: { ref: params.ref } })),
);
