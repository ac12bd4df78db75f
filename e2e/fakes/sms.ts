// A loopback fake of Twilio's Messages API: `POST <url>/2010-04-01/Accounts/{AccountSid}/Messages.json`,
// form-encoded To / From / Body, HTTP Basic auth AccountSid:AuthToken; errors in Twilio's JSON shape.
// Also its Calls API (`…/Calls.json`, To / From / Twiml), for voice pages: calls are recorded, not placed.
// And Twilio's side of the callbacks it makes to Vigil (an SMS reply, a key pressed during a call):
// sendTwilioCallback signs and POSTs one, as the provider would.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerControl,
  answerThroughPlan,
  closeHttpServer,
  FailurePlans,
  now,
  readBody,
  sendJson,
  startHttpServer,
  type Answer,
  type Fake,
  type Recorded,
} from "./fake-server";

export interface SmsMessage {
  sid: string;
  account_sid: string;
  api_version: "2010-04-01";
  to: string;
  from: string;
  body: string;
  status: "queued";
  direction: "outbound-api";
  num_segments: string;
  num_media: "0";
  date_created: string;
  date_updated: string;
  date_sent: null;
  error_code: null;
  error_message: null;
  messaging_service_sid: string | null;
  price: null;
  price_unit: "USD";
  uri: string;
}

export interface VoiceCall {
  sid: string;
  to: string;
  from: string;
  /** The inline TwiML the call would play. */
  twiml: string;
  status: "queued";
}

export interface SmsReceived extends Recorded {
  /** Which resource was called. */
  resource: "Messages" | "Calls";
  /** The AccountSid in the path. */
  accountSid: string;
  /** Whether Basic auth matched the fake's AccountSid:AuthToken. */
  authorized: boolean;
  to?: string;
  from?: string;
  body?: string;
  /** Every form field as sent. */
  params: Record<string, string>;
  /** The created message's sid (201 only). */
  sid?: string;
  /** Twilio's error code when the fake answered one (e.g. 21604). */
  errorCode?: number;
}

export interface FakeSms extends Fake<SmsReceived> {
  accountSid: string;
  authToken: string;
  /** The messages accepted (201), in order. */
  messages(): SmsMessage[];
  /** The voice calls accepted (201), in order. */
  calls(): VoiceCall[];
}

const twilioError = (status: number, code: number, message: string) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});
const E164 = /^\+[1-9]\d{6,14}$/;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startFakeSms(options: {
  port?: number;
  accountSid: string;
  authToken: string;
}): Promise<FakeSms> {
  const { accountSid, authToken } = options;
  const received: SmsReceived[] = [];
  const plans = new FailurePlans();
  const messages: SmsMessage[] = [];
  const calls: VoiceCall[] = [];

  const authorized = (header: string | undefined): boolean => {
    if (!header?.startsWith("Basic ")) return false;
    const decoded = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8");
    return sameSecret(decoded, `${accountSid}:${authToken}`);
  };

  const create = (pathSid: string, params: Record<string, string>): Answer => {
    if (pathSid !== accountSid)
      return {
        status: 404,
        body: twilioError(
          404,
          20404,
          `The requested resource /2010-04-01/Accounts/${pathSid}/Messages.json was not found`,
        ),
      };
    const { To: to, From: from, Body: body, MessagingServiceSid: service, MediaUrl: media } = params;
    if (!to) return { status: 400, body: twilioError(400, 21604, "A 'To' phone number is required.") };
    if (!E164.test(to)) return { status: 400, body: twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`) };
    if (!from && !service) return { status: 400, body: twilioError(400, 21603, "A 'From' phone number is required.") };
    if (from && !E164.test(from))
      return { status: 400, body: twilioError(400, 21212, `Invalid From Number (caller ID): ${from}`) };
    if (!body && !media) return { status: 400, body: twilioError(400, 21602, "Message body is required.") };
    if (body && body.length > 1600)
      return {
        status: 400,
        body: twilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit."),
      };
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const date = new Date().toUTCString().replace("GMT", "+0000");
    const message: SmsMessage = {
      sid,
      account_sid: accountSid,
      api_version: "2010-04-01",
      to,
      from: from ?? "",
      body: body ?? "",
      status: "queued",
      direction: "outbound-api",
      num_segments: String(Math.max(1, Math.ceil((body ?? "").length / 160))),
      num_media: "0",
      date_created: date,
      date_updated: date,
      date_sent: null,
      error_code: null,
      error_message: null,
      messaging_service_sid: service ?? null,
      price: null,
      price_unit: "USD",
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    };
    messages.push(message);
    return { status: 201, body: message };
  };

  const createCall = (pathSid: string, params: Record<string, string>): Answer => {
    if (pathSid !== accountSid)
      return {
        status: 404,
        body: twilioError(404, 20404, `The requested resource /Accounts/${pathSid}/Calls.json was not found`),
      };
    const { To: to, From: from, Twiml: twiml, Url: url } = params;
    if (!to || !E164.test(to))
      return { status: 400, body: twilioError(400, 21211, `Invalid 'To' Phone Number: ${to ?? ""}`) };
    if (!from || !E164.test(from))
      return { status: 400, body: twilioError(400, 21212, `Invalid 'From' Phone Number: ${from ?? ""}`) };
    if (!twiml && !url) return { status: 400, body: twilioError(400, 21205, "Either Url or Twiml is required.") };
    const call: VoiceCall = {
      sid: `CA${randomBytes(16).toString("hex")}`,
      to,
      from,
      twiml: twiml ?? "",
      status: "queued",
    };
    calls.push(call);
    return { status: 201, body: call };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (await answerControl(req, res, controls)) return;
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(path);
    if (req.method !== "POST" || !match?.[1])
      return sendJson(res, 404, twilioError(404, 20404, `The requested resource ${path} was not found`));
    const pathSid = match[1];
    const resource = match[2] as "Messages" | "Calls";
    const params = Object.fromEntries(new URLSearchParams((await readBody(req)).toString("utf8")));
    const isAuthorized = authorized(req.headers.authorization);

    await answerThroughPlan(
      res,
      plans.take(params.To ? [params.To] : []),
      (status) => ({
        status,
        body:
          status === 429
            ? twilioError(429, 20429, "Too Many Requests")
            : twilioError(status, 20500, "Internal Server Error"),
      }),
      (): Answer =>
        isAuthorized
          ? resource === "Calls"
            ? createCall(pathSid, params)
            : create(pathSid, params)
          : {
              status: 401,
              body: twilioError(401, 20003, "Authenticate"),
              headers: { "WWW-Authenticate": 'Basic realm="Twilio API"' },
            },
      (answer, flags) => {
        const reply = answer.body as { sid?: unknown; code?: unknown };
        received.push({
          at: now(),
          resource,
          status: answer.status,
          ...flags,
          accountSid: pathSid,
          authorized: isAuthorized,
          ...(params.To !== undefined ? { to: params.To } : {}),
          ...(params.From !== undefined ? { from: params.From } : {}),
          ...(params.Body !== undefined ? { body: params.Body } : {}),
          params,
          ...(answer.status === 201 && typeof reply.sid === "string" ? { sid: reply.sid } : {}),
          ...(flags.failedWith === undefined && typeof reply.code === "number" ? { errorCode: reply.code } : {}),
        });
      },
    );
  };

  const reset = () => {
    received.length = 0;
    plans.clear();
    messages.length = 0;
    calls.length = 0;
  };
  const controls = {
    received: () => received,
    fail: plans.add.bind(plans),
    reset,
    routes: { "GET messages": () => messages, "GET calls": () => calls },
  };

  const { server, url } = await startHttpServer(options.port, handle);
  return {
    url,
    accountSid,
    authToken,
    received,
    fail: (plan) => plans.add(plan),
    reset,
    close: () => closeHttpServer(server),
    messages: () => structuredClone(messages),
    calls: () => structuredClone(calls),
  };
}

/**
 * What Twilio POSTs when someone replies to an SMS (the number's messaging webhook) or presses a key in a
 * call's `<Gather>`: form fields, signed as `X-Twilio-Signature` = Base64(HMAC-SHA1(auth token, the URL as
 * called, query included, then every field sorted by name as name followed by value)).
 */
export async function sendTwilioCallback(
  url: string,
  fields: Record<string, string>,
  options: { authToken: string; accountSid?: string; signature?: string },
): Promise<{ status: number; contentType: string | null; body: string }> {
  const sid = options.accountSid ?? "AC00000000000000000000000000000001";
  const params = { AccountSid: sid, ApiVersion: "2010-04-01", ...fields };
  const signed = Object.keys(params)
    .sort()
    .map((name) => name + params[name as keyof typeof params])
    .join("");
  const signature =
    options.signature ??
    createHmac("sha1", options.authToken)
      .update(url + signed)
      .digest("base64");
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, contentType: res.headers.get("content-type"), body: await res.text() };
}

/** An inbound SMS's fields, with a fresh MessageSid unless one is given (to replay a delivery). */
export const inboundSms = (
  from: string,
  to: string,
  body: string,
  messageSid = `SM${randomBytes(16).toString("hex")}`,
) => ({
  From: from,
  To: to,
  Body: body,
  MessageSid: messageSid,
  SmsSid: messageSid,
  NumMedia: "0",
});

/** A key pressed in a voice call's `<Gather>`. */
export const gatheredDigits = (
  digits: string,
  from: string,
  to: string,
  callSid = `CA${randomBytes(16).toString("hex")}`,
) => ({
  Digits: digits,
  CallSid: callSid,
  From: from,
  To: to,
  CallStatus: "in-progress",
  Direction: "outbound-api",
});
