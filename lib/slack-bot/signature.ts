// Is this request from Slack? The signature is an HMAC of the raw body with our signing secret, and the
// timestamp it covers must be within five minutes of now (either way), so a captured request cannot be
// replayed later.
import { isValidSlackRequest } from "@slack/bolt";

export type SignatureVerdict = "valid" | "missing" | "stale" | "mismatch";

const MAX_SKEW_SECONDS = 5 * 60;

export function verifySlackSignature(args: {
  rawBody: string;
  signature: string | null;
  timestamp: string | null;
  signingSecret: string;
  nowMs: number;
}): SignatureVerdict {
  const { rawBody, signature, timestamp, signingSecret, nowMs } = args;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return "missing";
  const seconds = Number(timestamp);
  // Bolt only refuses old timestamps; one from the future is as suspicious.
  if (Math.abs(nowMs / 1000 - seconds) > MAX_SKEW_SECONDS) return "stale";
  const valid = isValidSlackRequest({
    signingSecret,
    body: rawBody,
    headers: { "x-slack-signature": signature, "x-slack-request-timestamp": seconds },
    nowMilliseconds: nowMs,
  });
  return valid ? "valid" : "mismatch";
}

export const signatureProblem: Record<Exclude<SignatureVerdict, "valid">, string> = {
  missing: "The X-Slack-Signature and X-Slack-Request-Timestamp headers are required",
  stale: "The X-Slack-Request-Timestamp is more than five minutes away from now",
  mismatch: "The X-Slack-Signature does not match this body",
};
