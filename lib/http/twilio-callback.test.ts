import { describe, expect, it } from "vitest";
import { twilioSignature, twiml, verifyTwilioSignature } from "./twilio-callback";

// The example of Twilio's own helper library (twilio-node's webhook tests): URL with its query, then the
// fields sorted by name.
const URL_CALLED = "https://mycompany.com/myapp.php?foo=1&bar=2";
const FIELDS: [string, string][] = [
  ["Digits", "1234"],
  ["To", "+18005551212"],
  ["CallSid", "CA1234567890ABCDE"],
  ["From", "+14158675309"],
  ["Caller", "+14158675309"],
];

describe("Twilio signatures", () => {
  it("match Twilio's own example, whatever order the fields came in", () => {
    expect(twilioSignature("12345", URL_CALLED, FIELDS)).toBe("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    expect(verifyTwilioSignature("12345", URL_CALLED, [...FIELDS].reverse(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).toBe(
      true,
    );
  });

  it("refuse another token, URL, query, field value, or no signature", () => {
    const good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    expect(verifyTwilioSignature("54321", URL_CALLED, FIELDS, good)).toBe(false);
    expect(verifyTwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", FIELDS, good)).toBe(false);
    expect(verifyTwilioSignature("12345", URL_CALLED, [...FIELDS, ["Body", ""]], good)).toBe(false);
    expect(verifyTwilioSignature("12345", URL_CALLED, FIELDS, null)).toBe(false);
    expect(verifyTwilioSignature("12345", URL_CALLED, FIELDS, "short")).toBe(false);
  });
});

describe("TwiML answers", () => {
  it("escape what they say and answer text/xml", async () => {
    const res = twiml({ say: "INC-1 <b> & co" });
    expect(res.headers.get("content-type")).toBe("text/xml; charset=utf-8");
    expect(await res.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>INC-1 &lt;b&gt; &amp; co</Say></Response>',
    );
    expect(await twiml().text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
});
