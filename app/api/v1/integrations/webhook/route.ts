// POST /api/v1/integrations/webhook – a Vigil event from any tool (Bearer: a webhook integration's secret)
import { json, signedWebhookRoute } from "@/lib/http/api-route";
import { authenticateIntegration, receiveOrRefuse } from "@/lib/http/intake";
import { bearerToken, clientIp, readJsonBody } from "@/lib/http/request";
import { ingestionSettings } from "@/lib/intake/ingestion-settings";
import { readVigilEvent } from "@/lib/intake/vigil-event";

export const POST = signedWebhookRoute("POST /api/v1/integrations/webhook", async ({ req, db, now, log }) => {
  const secret = bearerToken(req.headers.get("authorization"));
  const caller = await authenticateIntegration({ db, now }, secret, "webhook", clientIp(req));
  const body = await readJsonBody(req, undefined, { replaceNul: true });
  const outcome = await receiveOrRefuse(caller, {
    payload: body,
    status: 202,
    log,
    read: () => readVigilEvent(body, caller.integration, now, ingestionSettings()),
  });
  return json({ result: outcome.text, ...outcome.summary }, { status: 202 });
});
