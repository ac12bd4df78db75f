// POST /api/v1/webhooks/twilio/voice?token=… – the key pressed during a page's voice call (the call's
// <Gather action>, signed with SMS_AUTH_TOKEN): 1 acknowledges as the person called.
import { signedWebhookRoute } from "@/lib/http/api-route";
import { clientIp } from "@/lib/http/request";
import { readTwilioCallback, twiml } from "@/lib/http/twilio-callback";
import { answerVoiceDigits } from "@/lib/escalation/phone-ack";

export const POST = signedWebhookRoute("POST /api/v1/webhooks/twilio/voice", async ({ req, db, now }) => {
  const { fields, query } = await readTwilioCallback(req);
  const say = await answerVoiceDigits(db, {
    token: query.get("token"),
    digits: fields.get("Digits") ?? "",
    now,
    ip: clientIp(req),
  });
  return twiml({ say });
});
