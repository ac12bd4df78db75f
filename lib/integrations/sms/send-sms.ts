// SMS through a Twilio-compatible Messages API (base URL configurable: SMS_API_URL).
import { deliveryErrorForNetwork, deliveryErrorForStatus, VENDOR_TIMEOUT_MS } from "../delivery-error";

export interface SmsSettings {
  apiUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
}

export async function sendSms(settings: SmsSettings, to: string, body: string): Promise<{ sid: string }> {
  let res: Response;
  try {
    res = await fetch(
      `${settings.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`,
      {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ To: to, From: settings.from, Body: body.slice(0, 1600) }),
        signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
      },
    );
  } catch (error) {
    throw deliveryErrorForNetwork("SMS provider", error);
  }
  const result = (await res.json().catch(() => ({}))) as { sid?: string; message?: string };
  if (!res.ok)
    throw deliveryErrorForStatus("SMS provider", res.status, result.message ?? "", res.headers.get("retry-after"));
  return { sid: result.sid ?? "" };
}
