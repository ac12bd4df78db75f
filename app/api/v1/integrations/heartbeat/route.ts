// POST /api/v1/integrations/heartbeat – a heartbeat's ping (Bearer: a heartbeat integration's secret). Any
// body is accepted and logged, so Alertmanager's always-firing Watchdog alert can be routed here.
import { json, signedWebhookRoute } from "@/lib/http/api-route";
import { authenticateIntegration, logIntegrationEvent } from "@/lib/http/intake";
import { bearerToken, clientIp, readRawBody } from "@/lib/http/request";
import { recordHeartbeatPing } from "@/lib/intake/heartbeat";
import { ingestionSettings } from "@/lib/intake/ingestion-settings";

export const POST = signedWebhookRoute("POST /api/v1/integrations/heartbeat", async ({ req, db, now, log }) => {
  const secret = bearerToken(req.headers.get("authorization"));
  const caller = await authenticateIntegration({ db, now }, secret, "heartbeat", clientIp(req));
  const raw = await readRawBody(req, 1024 * 1024);
  const outcome = await recordHeartbeatPing(caller.ctx, caller.integration, ingestionSettings());
  logIntegrationEvent(caller, log, {
    action: "ping",
    status: 202,
    outcome: outcome.text,
    payload: payloadOf(raw),
  });
  return json({ result: outcome.text }, { status: 202 });
});

/** The ping's body as the log keeps it: JSON when it is, else the text. */
function payloadOf(raw: string): unknown {
  try {
    return raw.trim() ? JSON.parse(raw) : null;
  } catch {
    return raw.slice(0, 2000);
  }
}
