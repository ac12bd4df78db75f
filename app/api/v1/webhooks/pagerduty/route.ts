// POST /api/v1/webhooks/pagerduty – PagerDuty webhook V3 (signed with PAGERDUTY_WEBHOOK_SECRET)
import { AppError } from "@/lib/errors";
import { signedWebhookRoute, json } from "@/lib/http/api-route";
import { clientIp, readRawBody } from "@/lib/http/request";
import { handlePagerDutyWebhook } from "@/lib/integrations/pagerduty/webhook";
import { getRuntime } from "@/lib/runtime";

export const POST = signedWebhookRoute("POST /api/v1/webhooks/pagerduty", async ({ req, db, now }) => {
  const secret = getRuntime().config.pagerduty.webhookSecret;
  if (!secret) throw new AppError("unavailable", "PagerDuty webhooks are not configured: set PAGERDUTY_WEBHOOK_SECRET");
  const result = await handlePagerDutyWebhook({
    ctx: { db, now, ip: clientIp(req) },
    rawBody: await readRawBody(req),
    signature: req.headers.get("x-pagerduty-signature"),
    deliveryId: req.headers.get("x-webhook-id"),
    secret,
  });
  return json(result);
});
