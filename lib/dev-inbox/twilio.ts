// The dev inbox's Twilio look-alike: Messages.json (an SMS) and Calls.json (a voice call, its TwiML's
// <Say> words kept as the body), with Twilio's Basic auth and answers, so sendSms and a voice sender work
// against it unchanged when SMS_API_URL points here.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import { recordDevInboxMessage } from "./inbox";

export interface TwilioCredentials {
  accountSid: string | undefined;
  authToken: string | undefined;
}

export interface TwilioRequest {
  resource: "Messages" | "Calls";
  /** The AccountSid in the path. */
  accountSid: string;
  authorization: string | null;
  params: Record<string, string>;
}

export interface VendorAnswer {
  status: number;
  body: Record<string, unknown>;
}

const twilioError = (status: number, code: number, message: string): VendorAnswer => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

/** Constant-time equality of a presented credential and the expected one (also the Slack look-alike's). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function authorized(header: string | null, credentials: TwilioCredentials): boolean {
  if (!credentials.accountSid || !credentials.authToken || !header?.startsWith("Basic ")) return false;
  const decoded = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8");
  return sameSecret(decoded, `${credentials.accountSid}:${credentials.authToken}`);
}

const xmlEntities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decodeXml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-f]{1,6});/gi, (whole, name: string) => {
    if (name[0] !== "#") return xmlEntities[name.toLowerCase()] ?? whole;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });

/** The words a call would speak: every <Say> of the TwiML, in order. */
export function spokenWords(twiml: string): string {
  return [...twiml.matchAll(/<Say\b[^>]*>([\s\S]*?)<\/Say>/gi)]
    .map((m) => decodeXml(m[1]!.replace(/<[^>]*>/g, "")).trim())
    .filter(Boolean)
    .join("\n");
}

const E164 = /^\+[1-9]\d{6,14}$/;

export async function receiveTwilioRequest(
  db: DbOrTx,
  request: TwilioRequest,
  credentials: TwilioCredentials,
  now = new Date(),
): Promise<VendorAnswer> {
  const { resource, accountSid, params } = request;
  if (!authorized(request.authorization, credentials)) return twilioError(401, 20003, "Authenticate");
  if (accountSid !== credentials.accountSid)
    return twilioError(
      404,
      20404,
      `The requested resource /2010-04-01/Accounts/${accountSid}/${resource}.json was not found`,
    );
  const { To: to, From: from = "" } = params;
  if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!E164.test(to)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  const date = now.toUTCString().replace("GMT", "+0000");
  const common = {
    account_sid: accountSid,
    api_version: "2010-04-01",
    to,
    from,
    status: "queued",
    direction: "outbound-api",
    date_created: date,
    date_updated: date,
    price: null,
    price_unit: "USD",
  };
  if (resource === "Messages") {
    const body = params.Body ?? "";
    if (!body) return twilioError(400, 21602, "Message body is required.");
    if (body.length > 1600)
      return twilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    const sid = `SM${randomBytes(16).toString("hex")}`;
    await recordDevInboxMessage(db, { channel: "sms", recipient: to, body, raw: params, receivedAt: now });
    return {
      status: 201,
      body: {
        ...common,
        sid,
        body,
        num_segments: String(Math.max(1, Math.ceil(body.length / 160))),
        num_media: "0",
        date_sent: null,
        error_code: null,
        error_message: null,
        messaging_service_sid: null,
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      },
    };
  }
  const twiml = params.Twiml;
  if (!twiml && !params.Url) return twilioError(400, 21205, "Url or Twiml is required.");
  const words = twiml ? spokenWords(twiml) : "";
  const sid = `CA${randomBytes(16).toString("hex")}`;
  await recordDevInboxMessage(db, {
    channel: "voice",
    recipient: to,
    body: words || (twiml ? "(a call that says nothing)" : `(a call whose TwiML is at ${params.Url})`),
    raw: params,
    receivedAt: now,
  });
  return {
    status: 201,
    body: {
      ...common,
      sid,
      parent_call_sid: null,
      phone_number_sid: null,
      start_time: null,
      end_time: null,
      duration: null,
      answered_by: null,
      forwarded_from: null,
      caller_name: null,
      uri: `/2010-04-01/Accounts/${accountSid}/Calls/${sid}.json`,
    },
  };
}
