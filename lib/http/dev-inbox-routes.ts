// The dev inbox's vendor look-alike doors (app/api/dev-inbox/…): Twilio and the Slack Web API, answering
// in each vendor's own shapes. Only when `npm start` turned the dev inbox on (VIGIL_DEV_INBOX=1); else
// they are not there (404). They check the made-up credentials `npm start` gave the senders.
import { notFound } from "../errors";
import { receiveSlackRequest } from "../dev-inbox/slack-web-api";
import { receiveTwilioRequest } from "../dev-inbox/twilio";
import { getRuntime } from "../runtime";
import { json, signedWebhookRoute } from "./api-route";
import { MAX_JSON_DEPTH, nestsDeeperThan, readRawBody, withoutNulCharacters } from "./request";

const BODY_LIMIT = 256 * 1024;

function requireDevInbox(): void {
  if (!getRuntime().config.devInbox) throw notFound("This page");
}

const formFields = (text: string) =>
  withoutNulCharacters(Object.fromEntries(new URLSearchParams(text))) as Record<string, string>;

export function devInboxTwilioRoute(route: string, resource: "Messages" | "Calls") {
  return signedWebhookRoute<{ sid: string }>(route, async ({ req, db, now, params }) => {
    requireDevInbox();
    const raw = await readRawBody(req, BODY_LIMIT);
    const { sms } = getRuntime().config;
    const answer = await receiveTwilioRequest(
      db,
      { resource, accountSid: params.sid, authorization: req.headers.get("authorization"), params: formFields(raw) },
      { accountSid: sms.accountSid, authToken: sms.authToken },
      now,
    );
    return json(answer.body, { status: answer.status });
  });
}

export function devInboxSlackRoute(route: string) {
  return signedWebhookRoute<{ method: string }>(route, async ({ req, db, now, params }) => {
    requireDevInbox();
    const raw = await readRawBody(req, BODY_LIMIT);
    const isJson = (req.headers.get("content-type") ?? "").toLowerCase().includes("application/json");
    let fields: Record<string, unknown> = Object.fromEntries(new URL(req.url).searchParams);
    if (isJson) {
      let parsed: unknown;
      try {
        parsed = raw && !nestsDeeperThan(raw, MAX_JSON_DEPTH) ? JSON.parse(raw) : raw ? undefined : {};
      } catch {
        parsed = undefined;
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        return json({ ok: false, error: "invalid_json" });
      fields = { ...fields, ...(withoutNulCharacters(parsed) as Record<string, unknown>) };
    } else {
      fields = { ...fields, ...formFields(raw) };
    }
    const answer = await receiveSlackRequest(
      db,
      { method: params.method, authorization: req.headers.get("authorization"), params: fields },
      getRuntime().config.slack.botToken,
      now,
    );
    return json(answer.body, { status: answer.status });
  });
}
