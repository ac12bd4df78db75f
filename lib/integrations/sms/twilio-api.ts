// One POST to a Twilio-compatible REST resource (Messages.json, Calls.json): Basic auth with the account
// sid and token, form-encoded body, Twilio's JSON error shape turned into a DeliveryError.
import { deliveryErrorForNetwork, deliveryErrorForStatus, VENDOR_TIMEOUT_MS } from "../delivery-error";

export interface SmsSettings {
  apiUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
}

export async function postTwilio(
  settings: SmsSettings,
  resource: "Messages.json" | "Calls.json",
  params: Record<string, string>,
  vendor: string,
): Promise<{ sid: string }> {
  let res: Response;
  try {
    res = await fetch(`${settings.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/${resource}`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
    });
  } catch (error) {
    throw deliveryErrorForNetwork(vendor, error);
  }
  const result = (await res.json().catch(() => ({}))) as { sid?: string; message?: string };
  if (!res.ok) throw deliveryErrorForStatus(vendor, res.status, result.message ?? "", res.headers.get("retry-after"));
  return { sid: result.sid ?? "" };
}
