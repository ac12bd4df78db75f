// The Opsgenie Alert API doors (app/api/v1/integrations/opsgenie/v2/alerts/…): `Authorization: GenieKey
// <secret>` of an opsgenie integration, answers shaped like Opsgenie's (202 with a requestId; 422 with
// `errors` by field for a body that cannot be processed; 401 for a bad key).
import { randomUUID } from "node:crypto";
import { isAppError } from "../errors";
import { readOpsgenieRequest, type OpsgenieRequest } from "../intake/opsgenie-alerts";
import { json, signedWebhookRoute } from "./api-route";
import { authenticateIntegration, logRefusal, receiveAndLog } from "./intake";
import { clientIp, readJsonBody } from "./request";

const genieKey = (authorization: string | null) => /^GenieKey\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1] ?? null;

const answer = (status: number, started: number, body: Record<string, unknown>) =>
  json({ ...body, took: Math.round(performance.now() - started) / 1000, requestId: randomUUID() }, { status });

export function opsgenieRoute<P extends Record<string, string>>(
  route: string,
  requestOf: (params: P) => OpsgenieRequest,
) {
  return signedWebhookRoute<P>(route, async ({ req, db, now, params, log }) => {
    const started = performance.now();
    let caller;
    try {
      caller = await authenticateIntegration(
        { db, now },
        genieKey(req.headers.get("authorization")),
        "opsgenie",
        clientIp(req),
      );
    } catch (error) {
      if (isAppError(error) && error.code === "unauthenticated")
        return answer(401, started, { message: "Could not authenticate" });
      throw error;
    }
    const body = await readJsonBody(req, 512 * 1024, { replaceNul: true });
    try {
      const event = readOpsgenieRequest(requestOf(params), body, caller.integration, now);
      await receiveAndLog(caller, { ...event, payload: body, status: 202, log });
      return answer(202, started, { result: "Request will be processed" });
    } catch (error) {
      if (!isAppError(error) || error.code !== "invalid") throw error;
      logRefusal(caller, log, { action: "refused", payload: body, error });
      return answer(422, started, {
        message: "Request body is not processable. Please check the errors.",
        errors: Object.fromEntries(error.fieldErrors.map((f) => [f.path, f.message])),
      });
    }
  });
}
