// Voice pages through the same Twilio-compatible account as SMS: the Calls resource with inline TwiML
// (PROTOCOLS.md "Voice calls"); the call's words and its "press 1" come from the caller's TwiML.
import { postTwilio, type SmsSettings } from "./twilio-api";

export async function placeCall(settings: SmsSettings, to: string, twiml: string): Promise<{ sid: string }> {
  return postTwilio(settings, "Calls.json", { To: to, From: settings.from, Twiml: twiml }, "Voice provider");
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

/**
 * A call that reads each item and offers "press 1" for it: one `<Gather>` per item, so a call about
 * several incidents lets the person acknowledge each in turn (no key pressed moves on to the next).
 */
export function gatherTwiml(intro: string, items: { say: string; actionUrl: string }[]): string {
  const gathers = items
    .map(
      (item) =>
        `<Gather numDigits="1" action="${escapeXml(item.actionUrl)}" method="POST"><Say>${escapeXml(item.say)} Press 1 to acknowledge.</Say></Gather>`,
    )
    .join("");
  return `<Response><Say>${escapeXml(intro)}</Say>${gathers}<Say>No answer. Goodbye.</Say></Response>`;
}
