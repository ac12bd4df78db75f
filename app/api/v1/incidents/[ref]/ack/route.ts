// POST /api/v1/incidents/{ref}/ack – acknowledge (a repeat changes nothing)
import { apiRoute, json } from "@/lib/http/api-route";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";

export const POST = apiRoute<{ ref: string }>("POST /api/v1/incidents/{ref}/ack", async ({ ctx, params }) =>
  json((await acknowledgeIncident({ ctx, input: { ref: params.ref } })).incident),
);
