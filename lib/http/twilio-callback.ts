// One callback from Twilio (or a compatible provider), as the voice and SMS doors receive it: the form
// body read within a limit, its X-Twilio-Signature checked before anything is looked up (403 otherwise),
// and the answer in TwiML. The signature covers the URL Twilio called, which behind a proxy is not the one
// this process sees: APP_URL stands for its origin (docs/oncall.md "Acknowledging from the page").
import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError, invalid } from "../errors";
import { getRuntime } from "../runtime";
import { readRawBody } from "./request";

/** Twilio's callbacks are a dozen short fields; a body far beyond that is not one. */
const BODY_LIMIT = 64 * 1024;

/** Base64(HMAC-SHA1(auth token, URL followed by every field sorted by name, each as name then value)). */
export function twilioSignature(
  authToken: string,
  url: string,
  fields: readonly (readonly [string, string])[],
): string {
  const sorted = [...fields].sort(([a, x], [b, y]) => compare(a, b) || compare(x, y));
  const payload = url + sorted.map(([name, value]) => name + value).join("");
  return createHmac("sha1", authToken).update(payload, "utf8").digest("base64");
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function verifyTwilioSignature(
  authToken: string,
  url: string,
  fields: readonly (readonly [string, string])[],
  signature: string | null,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, fields));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface TwilioCallback {
  /** The form fields, NUL characters replaced (PostgreSQL stores none, and Twilio would retry a refusal). */
  fields: Map<string, string>;
  query: URLSearchParams;
}

/** Verifies and reads a callback; throws 503 when SMS_AUTH_TOKEN is not set, 413, 403 or 400. */
export async function readTwilioCallback(req: Request): Promise<TwilioCallback> {
  const { config } = getRuntime();
  const authToken = config.sms.authToken;
  if (!authToken)
    throw new AppError(
      "unavailable",
      "Twilio callbacks are not configured: set SMS_AUTH_TOKEN (the auth token Twilio signs its callbacks with)",
    );
  const raw = await readRawBody(req, BODY_LIMIT);
  const fields = [...new URLSearchParams(raw)];
  const { pathname, search } = new URL(req.url);
  const url = `${config.appUrl}${pathname}${search}`;
  if (!verifyTwilioSignature(authToken, url, fields, req.headers.get("x-twilio-signature")))
    throw new AppError("forbidden", `The X-Twilio-Signature does not match this request to ${url}`);
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers.get("content-type") ?? ""))
    throw invalid("A Twilio callback is a form (application/x-www-form-urlencoded)", [
      { path: "(body)", message: "expected application/x-www-form-urlencoded" },
    ]);
  const clean = (text: string) => text.replaceAll("\u0000", "\ufffd");
  return {
    fields: new Map(fields.map(([name, value]) => [clean(name), clean(value)])),
    query: new URLSearchParams(search),
  };
}

/** Text content needs only these escaped (the words are said or sent as they are). */
const escapeXml = (text: string) => text.replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c]!);

/** A TwiML answer: `<Say>` for a call, `<Message>` for an SMS reply, nothing (`<Response/>`) without either. */
export function twiml(verb?: { say: string } | { message: string }): Response {
  const inner = !verb
    ? ""
    : "say" in verb
      ? `<Say>${escapeXml(verb.say)}</Say>`
      : `<Message>${escapeXml(verb.message)}</Message>`;
  const body = `<?xml version="1.0" encoding="UTF-8"?>${inner ? `<Response>${inner}</Response>` : "<Response/>"}`;
  return new Response(body, { status: 200, headers: { "content-type": "text/xml; charset=utf-8" } });
}
