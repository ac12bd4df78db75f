// Acknowledging a page by phone: replying to the SMS, or pressing 1 during the voice call. The doors
// (app/api/v1/webhooks/twilio) have checked the provider's signature; these decide what to do and what
// to say back. Providers deliver at least once: a repeated SMS (same MessageSid) changes nothing, and a
// repeated key press finds its link already spent.
import { createHash } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import { inTransaction, systemActor } from "../context";
import { pendingSmsLink, redeemAckLink, redeemBySmsReply, VOICE_VIA, type RedeemOutcome } from "./redeem-ack-link";

/** A sid is 34 characters; anything far longer is kept as its hash, which an index can hold. */
const deliveryKey = (sid: string) => (sid.length <= 64 ? sid : createHash("sha256").update(sid).digest("hex"));

/** Replies that mean "I have it" (trimmed, any case). */
const ACK_WORDS = new Set(["1", "ack", "yes"]);
export const isAckReply = (body: string) => ACK_WORDS.has(body.trim().toLowerCase());

const UNKNOWN_NUMBER = "Vigil has no page waiting for an answer from this number.";

/** What an SMS reply does; null for a delivery seen before (answered with an empty TwiML response). */
export async function answerSmsReply(
  db: DbOrTx,
  reply: { from: string; body: string; messageSid: string | null; now: Date; ip: string | null },
): Promise<string | null> {
  const { from, now, ip } = reply;
  return inTransaction({ db, actor: systemActor(), now }, async (txCtx) => {
    if (reply.messageSid) {
      const fresh = await txCtx.db
        .insert(webhookDeliveries)
        .values({ source: "twilio-sms", deliveryId: deliveryKey(reply.messageSid), receivedAt: now })
        .onConflictDoNothing()
        .returning();
      if (!fresh.length) return null;
    }
    if (isAckReply(reply.body)) return smsText(await redeemBySmsReply(txCtx.db, { from, now, ip }));
    const pending = await pendingSmsLink(txCtx.db, from, now);
    return pending
      ? `Reply 1 (or ACK) to acknowledge ${pending.ref}, the latest page sent to this number.`
      : `${UNKNOWN_NUMBER} Pages sent here can be acknowledged by replying 1.`;
  });
}

function smsText(result: RedeemOutcome): string {
  switch (result.outcome) {
    case "unknown":
      return `${UNKNOWN_NUMBER} It may have been acknowledged already or expired.`;
    case "acknowledged":
      return `Acknowledged ${result.ref} as ${result.by}.`;
    default:
      return refusal(result);
  }
}

/** What a key pressed during a page's voice call does; the words the call says back. */
export async function answerVoiceDigits(
  db: DbOrTx,
  press: { token: string | null; digits: string; now: Date; ip: string | null },
): Promise<string> {
  if (press.digits.trim() !== "1") return "Not acknowledged.";
  if (!press.token) return "Not acknowledged: this call carries no acknowledge link.";
  const result = await redeemAckLink(db, { token: press.token, via: VOICE_VIA, now: press.now, ip: press.ip });
  switch (result.outcome) {
    case "unknown":
      return "Not acknowledged: this call's acknowledge link is unknown.";
    case "acknowledged":
      return "Acknowledged.";
    default:
      return refusal(result);
  }
}

/** Why a link did not acknowledge, in a sentence a phone can say or show. */
function refusal(result: Exclude<RedeemOutcome, { outcome: "unknown" | "acknowledged" }>): string {
  const ref = result.ref;
  switch (result.outcome) {
    case "expired":
      return `The page for ${ref} has expired: acknowledge it in Vigil.`;
    case "used":
      return `The page for ${ref} was already answered.`;
    case "resolved":
      return `${ref} is already resolved.`;
    case "already_acknowledged":
      return `${ref} was already acknowledged${result.by ? ` by ${result.by}` : ""}.`;
    case "not_allowed":
      return result.reason === "viewer"
        ? `Not acknowledged: your Vigil role (viewer) cannot acknowledge ${ref}. Ask an admin for the responder role.`
        : `Not acknowledged: your Vigil account is disabled.`;
  }
}
