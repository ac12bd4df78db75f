// POST /api/v1/webhooks/alertmanager – Alertmanager's webhook (payload version 4) -> incidents
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request";
import { notificationSettingsIfUsable } from "@/lib/notifications/settings";
import { getRuntime } from "@/lib/runtime";

// Alertmanager sends every alert of a group in one body; with max_alerts unset that can be large.
const BODY_LIMIT = 16 * 1024 * 1024;

export const POST = apiRoute("POST /api/v1/webhooks/alertmanager", async ({ req, ctx }) => {
  const { config } = getRuntime();
  const settings = {
    reopenWindowMs: config.reopenWindowMs,
    ...config.alerts,
    notifications: notificationSettingsIfUsable(),
  };
  return json(
    await ingestAlertmanagerPayload({
      ctx,
      input: await readJsonBody(req, BODY_LIMIT, { replaceNul: true }),
      settings,
    }),
  );
});
