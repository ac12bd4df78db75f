// SMS through a Twilio-compatible Messages API (base URL configurable: SMS_API_URL).
import { postTwilio, type SmsSettings } from "./twilio-api";

export type { SmsSettings } from "./twilio-api";

export async function sendSms(settings: SmsSettings, to: string, body: string): Promise<{ sid: string }> {
  return postTwilio(
    settings,
    "Messages.json",
    { To: to, From: settings.from, Body: body.slice(0, 1600) },
    "SMS provider",
  );
}
