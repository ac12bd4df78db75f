// GET /api/v1/incidents/{ref}/runbook – the runbook the incident follows, why, and what each action would act on
import { apiRoute, json } from "@/lib/http/api-route";
import { getIncidentRunbook } from "@/lib/remediation/incident-runbook";

export const GET = apiRoute<{ ref: string }>("GET /api/v1/incidents/{ref}/runbook", async ({ ctx, params }) =>
  json(await getIncidentRunbook({ ctx, input: { ref: params.ref } })),
);
