// POST /api/v1/integrations/grafana – Grafana Alerting's webhook contact point (Basic auth or any-scheme
// Authorization with a grafana integration's secret; its HMAC signature when the integration has a secret)
import { json, signedWebhookRoute } from "@/lib/http/api-route";
import { authenticateIntegration, receiveOrRefuse } from "@/lib/http/intake";
import { clientIp, parseJsonText, readRawBody } from "@/lib/http/request";
import { grafanaSecret, readGrafanaPayload, verifyGrafanaSignature } from "@/lib/intake/grafana-payload";

// Like Alertmanager, Grafana sends every alert of a group in one body.
const BODY_LIMIT = 16 * 1024 * 1024;

export const POST = signedWebhookRoute("POST /api/v1/integrations/grafana", async ({ req, db, now, log }) => {
  const secret = grafanaSecret(req.headers.get("authorization"));
  const caller = await authenticateIntegration({ db, now }, secret, "grafana", clientIp(req));
  const raw = await readRawBody(req, BODY_LIMIT);
  verifyGrafanaSignature(caller.integration, req.headers, raw, now);
  // Not JSON is as unreadable as a bad body: refused with a 400, and logged.
  let body: unknown = raw;
  const outcome = await receiveOrRefuse(caller, {
    payload: raw,
    status: 200,
    log,
    read: () => {
      body = raw.trim() === "" ? {} : parseJsonText(raw, { replaceNul: true });
      const batch = readGrafanaPayload(body, caller.integration, now);
      const action = (body as { state?: string }).state ?? batch.alerts[0]?.status ?? "alerts";
      return { action, intake: { type: "alerts", batch } };
    },
  });
  return json(outcome.summary);
});
