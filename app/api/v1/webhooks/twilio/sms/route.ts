// POST /api/v1/webhooks/twilio/sms – replies to pages by SMS (the number's messaging webhook, signed
// with SMS_AUTH_TOKEN): "1", "ack" or "yes" acknowledges the newest page sent to that number.
import { signedWebhookRoute } from "@/lib/http/api-route";
import { clientIp } from "@/lib/http/request";
import { readTwilioCallback, twiml } from "@/lib/http/twilio-callback";
import { answerSmsReply } from "@/lib/escalation/phone-ack";

export const POST = signedWebhookRoute("POST /api/v1/webhooks/twilio/sms", async ({ req, db, now }) => {
  const { fields } = await readTwilioCallback(req);
  const message = await answerSmsReply(db, {
    from: fields.get("From") ?? "",
    body: fields.get("Body") ?? "",
    messageSid: fields.get("MessageSid") || null,
    now,
    ip: clientIp(req),
  });
  return twiml(message === null ? undefined : { message });
});
