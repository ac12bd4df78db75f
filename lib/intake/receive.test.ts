import { describe, expect, it } from "vitest";
import { redactPayload } from "./receive";

// JSON.stringify writes a lone surrogate as "\ud800", which PostgreSQL's jsonb refuses: the event log row
// of such a payload would be lost.
const loneSurrogateEscape = /\\u(d[89ab][0-9a-f]{2}|d[c-f][0-9a-f]{2})/i;

describe("redactPayload", () => {
  it("replaces lone surrogates in values and keys, keeping whole pairs", () => {
    const stored = redactPayload({ title: "a\ud800b", ["k\udc00"]: ["\udfff"], ok: "fire \ud83d\udd25" });
    expect(stored).toEqual({ title: "a\ufffdb", ["k\ufffd"]: ["\ufffd"], ok: "fire \ud83d\udd25" });
    expect(JSON.stringify(stored)).not.toMatch(loneSurrogateEscape);
  });

  it("never cuts a large payload inside a surrogate pair", () => {
    // `{"t":"` is 6 characters: the emoji's high surrogate is character 4000, where the cut falls.
    const stored = redactPayload({ t: `${"x".repeat(3993)}\ud83d\udd25${"y".repeat(70_000)}` }) as { start: string };
    expect(stored.start).toHaveLength(4000);
    expect(stored.start.endsWith("\ufffd")).toBe(true);
    expect(JSON.stringify(stored)).not.toMatch(loneSurrogateEscape);
  });

  it("still redacts secrets", () => {
    expect(redactPayload({ routing_key: "abc", payload: { summary: "s" } })).toEqual({
      routing_key: "[redacted]",
      payload: { summary: "s" },
    });
  });
});
