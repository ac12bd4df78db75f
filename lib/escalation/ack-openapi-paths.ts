// The doors that acknowledge a page from the phone (Twilio-compatible callbacks) in the OpenAPI document
// (lib/openapi/document.ts calls this with its helpers). They speak Twilio's protocol: form fields in,
// TwiML out, signed with SMS_AUTH_TOKEN rather than an API token.
import { z } from "zod";
import type { OpenApiHelpers } from "../openapi/helpers";

export function registerAckPaths({ add, problem }: OpenApiHelpers): void {
  const form = (schema: z.ZodType) => ({ content: { "application/x-www-form-urlencoded": { schema } } });
  const twiml = (description: string) => ({ description, content: { "text/xml": { schema: z.string() } } });
  const signed =
    "Signed by the provider: `X-Twilio-Signature` = Base64(HMAC-SHA1(SMS_AUTH_TOKEN, APP_URL + path + query, then every " +
    "form field sorted by name as name followed by value)); no API token. Answers 503 when SMS_AUTH_TOKEN is not set.";
  const refusals = {
    400: problem("Not a form body"),
    403: problem("Missing or wrong X-Twilio-Signature"),
    413: problem("Body too large"),
    503: problem("SMS_AUTH_TOKEN is not set"),
  };
  add({
    method: "post",
    path: "/api/v1/webhooks/twilio/sms",
    summary: "Replies to pages by SMS (the number's messaging webhook)",
    description:
      'A reply of "1", "ack" or "yes" (any case) acknowledges the incident of the newest unused, unexpired page sent to ' +
      "`From` by SMS, as the person paged; anything else is answered with help. A redelivered `MessageSid` changes nothing. " +
      signed,
    security: [],
    request: {
      body: form(
        z.object({
          From: z.string(),
          To: z.string(),
          Body: z.string(),
          MessageSid: z.string(),
          AccountSid: z.string(),
        }),
      ),
    },
    responses: {
      200: twiml("`<Response><Message>…</Message></Response>`, or `<Response/>` for a redelivery"),
      ...refusals,
    },
  });
  add({
    method: "post",
    path: "/api/v1/webhooks/twilio/voice",
    summary: 'The key pressed during a page\'s voice call ("press 1 to acknowledge")',
    description:
      "The `action` of the call's `<Gather>`, with the page's one-time token in the query. `Digits=1` acknowledges as the " +
      "person called. " +
      signed,
    security: [],
    request: {
      query: z.object({ token: z.string().describe("The page's one-time acknowledge token") }),
      body: form(
        z.object({ Digits: z.string(), CallSid: z.string(), From: z.string(), To: z.string(), AccountSid: z.string() }),
      ),
    },
    responses: {
      200: twiml("`<Response><Say>Acknowledged.</Say></Response>`, or `<Say>Not acknowledged.</Say>` with the reason"),
      ...refusals,
    },
  });
}
