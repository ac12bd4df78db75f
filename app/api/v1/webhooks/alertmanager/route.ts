// POST /api/v1/webhooks/alertmanager – Alertmanager's webhook (payload version 4) -> incidents. With an
// alertmanager integration's secret its defaults apply and the delivery is logged on it; any other
// token with alert.ingest works as before.
import { readAlertmanagerPayload } from "@/lib/alerts/alertmanager-payload";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { apiRoute, json } from "@/lib/http/api-route";
import { receiveOrRefuse } from "@/lib/http/intake";
import { readJsonBody } from "@/lib/http/request";
import { ingestionSettings } from "@/lib/intake/ingestion-settings";
import { integrationOfToken } from "@/lib/intake/integrations";
import { getRuntime } from "@/lib/runtime";

// Alertmanager sends every alert of a group in one body; with max_alerts unset that can be large.
const BODY_LIMIT = 16 * 1024 * 1024;

export const POST = apiRoute("POST /api/v1/webhooks/alertmanager", async ({ req, ctx, log }) => {
  const body = await readJsonBody(req, BODY_LIMIT, { replaceNul: true });
  const integration =
    ctx.actor.type === "apiToken"
      ? await integrationOfToken(ctx.db, ctx.actor.tokenId, getRuntime().tokenActors, ctx.now.getTime())
      : undefined;
  if (integration?.kind !== "alertmanager")
    return json(await ingestAlertmanagerPayload({ ctx, input: body, settings: ingestionSettings() }));
  const outcome = await receiveOrRefuse(
    { ctx, integration },
    {
      payload: body,
      status: 200,
      log,
      read: () => ({
        action: (body as { status?: string }).status ?? "alerts",
        intake: { type: "alerts", batch: readAlertmanagerPayload(body, ctx.now) },
      }),
    },
  );
  return json(outcome.summary);
});
