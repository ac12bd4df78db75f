// POST /api/v1/integrations/pagerduty/v2/enqueue – PagerDuty Events API v2, received (routing_key = a
// pagerduty integration's secret); answers as PagerDuty does: 202 with the dedup_key, 400 "invalid event"
import { isAppError } from "@/lib/errors";
import { json, signedWebhookRoute } from "@/lib/http/api-route";
import { authenticateIntegration, logRefusal, receiveAndLog, type IntakeCaller } from "@/lib/http/intake";
import { clientIp, parseJsonText, readRawBody } from "@/lib/http/request";
import { readPagerDutyEvent, routingKeyOf } from "@/lib/intake/pagerduty-events";

// PagerDuty's own limit for one event.
const BODY_LIMIT = 512 * 1024;

const invalidEvent = (errors: string[]) =>
  json({ status: "invalid event", message: "Event object is invalid", errors }, { status: 400 });

export const POST = signedWebhookRoute(
  "POST /api/v1/integrations/pagerduty/v2/enqueue",
  async ({ req, db, now, log }) => {
    const raw = await readRawBody(req, BODY_LIMIT);
    let body: unknown;
    let caller: IntakeCaller | undefined;
    try {
      body = parseJsonText(raw, { replaceNul: true });
      caller = await authenticateIntegration({ db, now }, routingKeyOf(body), "pagerduty", clientIp(req));
      const event = readPagerDutyEvent(body, caller.integration, now);
      await receiveAndLog(caller, { action: event.eventAction, intake: event.intake, payload: body, status: 202, log });
      return json({ status: "success", message: "Event processed", dedup_key: event.dedupKey }, { status: 202 });
    } catch (error) {
      if (!isAppError(error) || (error.code !== "invalid" && error.code !== "unauthenticated")) throw error;
      if (caller) logRefusal(caller, log, { action: "refused", payload: body, error });
      if (error.code === "unauthenticated") return invalidEvent(["Invalid routing key"]);
      return invalidEvent(
        error.fieldErrors.length ? error.fieldErrors.map((f) => `${f.path}: ${f.message}`) : [error.message],
      );
    }
  },
);
