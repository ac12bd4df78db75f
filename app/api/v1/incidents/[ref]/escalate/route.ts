// POST /api/v1/incidents/{ref}/escalate – run the escalation's next step now (responder)
import { apiRoute, json } from "@/lib/http/api-route";
import { escalateNow } from "@/lib/escalation/manual";

export const POST = apiRoute<{ ref: string }>("POST /api/v1/incidents/{ref}/escalate", async ({ ctx, params }) =>
  json(await escalateNow({ ctx, input: { ref: params.ref } })),
);
