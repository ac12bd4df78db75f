// GET /api/v1/incidents/{ref}/alerts – the incident's alerts, with summary, runbook and Prometheus links
import { listIncidentAlerts } from "@/lib/alerts/list-incident-alerts";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute<{ ref: string }>("GET /api/v1/incidents/{ref}/alerts", async ({ ctx, params }) =>
  json({ data: await listIncidentAlerts({ ctx, input: { ref: params.ref } }) }),
);
