// What Slack sent, by its wire format: slash commands are form fields, interactions a form field
// `payload` holding JSON, Events API deliveries JSON (the first of which is a url_verification challenge).
import { z } from "zod";
import { AppError } from "../errors";
import { MAX_JSON_DEPTH, nestsDeeperThan, withoutNulCharacters } from "../http/request";

export type SlackIncoming =
  | { kind: "url_verification"; challenge: string }
  | { kind: "ssl_check" }
  | { kind: "dispatch"; body: Record<string, unknown> };

const UrlVerification = z.object({ type: z.literal("url_verification"), challenge: z.string().min(1).max(500) });

/**
 * What Bolt takes for granted in an interaction payload (it iterates `actions`, reads `user.id` and `view`):
 * refused here with a 400 rather than thrown inside Bolt after the 200. Slack always sends these shapes.
 */
const InteractionPayload = z.looseObject({
  type: z.string(),
  actions: z.array(z.looseObject({})).optional(),
  user: z.looseObject({}).optional(),
  view: z.looseObject({}).optional(),
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const malformed = (message: string) => new AppError("invalid", message, { fieldErrors: [{ path: "(body)", message }] });

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  if (nestsDeeperThan(text)) throw malformed(`${what} nests deeper than ${MAX_JSON_DEPTH} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed(`${what} is not valid JSON`);
  }
  if (!isObject(parsed)) throw malformed(`${what} must be a JSON object`);
  return parsed;
}

/**
 * What Slack sent. NUL characters (which PostgreSQL cannot store, and Slack's apps let people type) become
 * U+FFFD, so a command or a note with one is carried out rather than failing on every try.
 */
export function readSlackBody(rawBody: string, contentType: string | null): SlackIncoming {
  const incoming = readSlackWireFormat(rawBody, contentType);
  return incoming.kind === "dispatch"
    ? { kind: "dispatch", body: withoutNulCharacters(incoming.body) as Record<string, unknown> }
    : incoming;
}

function readSlackWireFormat(rawBody: string, contentType: string | null): SlackIncoming {
  if ((contentType ?? "").toLowerCase().includes("application/json")) {
    const body = parseJsonObject(rawBody, "The body");
    if (body.type === "url_verification") {
      const challenge = UrlVerification.safeParse(body);
      if (!challenge.success) throw malformed("A url_verification request carries a challenge");
      return { kind: "url_verification", challenge: challenge.data.challenge };
    }
    if (!isObject(body.event)) throw malformed("An Events API delivery carries an event");
    return { kind: "dispatch", body };
  }
  const fields = Object.fromEntries(new URLSearchParams(rawBody));
  if (typeof fields.payload === "string") {
    const payload = InteractionPayload.safeParse(parseJsonObject(fields.payload, "The payload field"));
    if (!payload.success) throw malformed("The payload field is not an interaction payload");
    return { kind: "dispatch", body: payload.data };
  }
  // Slack checks the certificate of a command URL now and then, with a signed form of its own.
  if (fields.ssl_check === "1") return { kind: "ssl_check" };
  if (typeof fields.command === "string" && fields.command.startsWith("/")) return { kind: "dispatch", body: fields };
  throw malformed("Expected a slash command, an interaction payload or an Events API delivery");
}
