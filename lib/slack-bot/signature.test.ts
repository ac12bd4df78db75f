import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifySlackSignature } from "./signature";

const secret = "8f742231b10e8888abcd99yyyzzz85a5";
const sign = (body: string, ts: number, key = secret) =>
  `v0=${createHmac("sha256", key).update(`v0:${ts}:${body}`).digest("hex")}`;
const now = 1_764_000_000_000;
const ts = now / 1000;

describe("Slack request signatures", () => {
  const rawBody = "token=x&command=%2Fincident&text=list";

  it("accepts a body signed with the signing secret within five minutes", () => {
    expect(
      verifySlackSignature({
        rawBody,
        signature: sign(rawBody, ts),
        timestamp: String(ts),
        signingSecret: secret,
        nowMs: now,
      }),
    ).toBe("valid");
    expect(
      verifySlackSignature({
        rawBody,
        signature: sign(rawBody, ts - 299),
        timestamp: String(ts - 299),
        signingSecret: secret,
        nowMs: now,
      }),
    ).toBe("valid");
  });

  it("refuses another secret, a changed body, and missing headers", () => {
    expect(
      verifySlackSignature({
        rawBody,
        signature: sign(rawBody, ts, "other"),
        timestamp: String(ts),
        signingSecret: secret,
        nowMs: now,
      }),
    ).toBe("mismatch");
    expect(
      verifySlackSignature({
        rawBody: `${rawBody}x`,
        signature: sign(rawBody, ts),
        timestamp: String(ts),
        signingSecret: secret,
        nowMs: now,
      }),
    ).toBe("mismatch");
    expect(
      verifySlackSignature({ rawBody, signature: null, timestamp: String(ts), signingSecret: secret, nowMs: now }),
    ).toBe("missing");
    expect(
      verifySlackSignature({
        rawBody,
        signature: sign(rawBody, ts),
        timestamp: "soon",
        signingSecret: secret,
        nowMs: now,
      }),
    ).toBe("missing");
  });

  it("refuses a timestamp more than five minutes old or ahead, even when signed", () => {
    expect(
      verifySlackSignature({
        rawBody,
        signature: sign(rawBody, ts - 301),
        timestamp: String(ts - 301),
        signingSecret: secret,
        nowMs: now,
      }),
    ).toBe("stale");
    expect(
      verifySlackSignature({
        rawBody,
        signature: sign(rawBody, ts + 301),
        timestamp: String(ts + 301),
        signingSecret: secret,
        nowMs: now,
      }),
    ).toBe("stale");
  });
});
