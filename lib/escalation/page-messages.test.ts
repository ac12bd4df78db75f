import { describe, expect, it } from "vitest";
import { stopReason } from "./follow-events";
import { pageEmail, pageSlack, pageSms, pageVoice, type PagedIncident } from "./page-messages";

const incident = (n: number, extra: Partial<PagedIncident> = {}): PagedIncident => ({
  id: `id-${n}`,
  ref: `INC-${n}`,
  severity: "P1",
  title: `Checkout <down> & "out" ${n}`,
  service: "checkout",
  url: `https://vigil.example.com/incidents/INC-${n}`,
  ackUrl: `https://vigil.example.com/ack/token-${n}`,
  ...extra,
});

describe("page messages", () => {
  it("put each incident's own acknowledge link in an SMS, one or bundled", () => {
    expect(pageSms([incident(1)])).toEqual([
      'Vigil page: P1 INC-1: Checkout <down> & "out" 1 (checkout)\nAcknowledge: https://vigil.example.com/ack/token-1',
    ]);
    const [bundled] = pageSms([incident(1), incident(2)]);
    expect(bundled).toMatch(/^Vigil page: 2 incidents need you\n/);
    expect(bundled).toContain("Acknowledge: https://vigil.example.com/ack/token-1");
    expect(bundled).toContain("Acknowledge: https://vigil.example.com/ack/token-2");
  });

  it("name every incident of a Slack bundle within Slack's 50 blocks", () => {
    const { blocks } = pageSlack(Array.from({ length: 30 }, (_, i) => incident(i)));
    expect(blocks.length).toBeLessThanOrEqual(50);
    const text = JSON.stringify(blocks);
    for (let i = 0; i < 30; i++) expect(text).toContain(`|INC-${i}>`);
  });

  it("split a bundle too long for one SMS into several, losing no incident", () => {
    const texts = pageSms(Array.from({ length: 40 }, (_, i) => incident(i)));
    expect(texts.length).toBeGreaterThan(1);
    for (const [n, text] of texts.entries()) {
      expect(text.length).toBeLessThanOrEqual(1600);
      expect(text).toMatch(new RegExp(`^Vigil page: 40 incidents need you \\(${n + 1}/${texts.length}\\)\\n`));
    }
    for (let i = 0; i < 40; i++)
      expect(
        texts.filter((t) => t.includes(`https://vigil.example.com/ack/token-${i}\n`) || t.endsWith(`token-${i}`)),
      ).toHaveLength(1);
  });

  it("name every incident in a bundled email's subject and escape its HTML", () => {
    const mail = pageEmail([incident(1), incident(2)], "bob@example.com", "<m@vigil>");
    expect(mail.subject).toBe("[Vigil] 2 incidents need you: INC-1, INC-2");
    expect(mail.html).toContain("Checkout &lt;down&gt; &amp; &quot;out&quot; 1");
    expect(mail.html).not.toContain("<down>");
  });

  it("offer press 1 per incident in a call, with the words escaped for TwiML", () => {
    const twiml = pageVoice([incident(12, { ackUrl: "https://v.example/voice?token=a&b" }), incident(13)]);
    expect(twiml.match(/<Gather numDigits="1"/g)).toHaveLength(2);
    expect(twiml).toContain('action="https://v.example/voice?token=a&amp;b" method="POST"');
    expect(twiml).toContain(
      "<Say>P1 incident 12: Checkout &lt;down&gt; &amp; &quot;out&quot; 12. Press 1 to acknowledge.</Say>",
    );
    expect(twiml).toMatch(/^<Response><Say>This is Vigil\. You are paged for 2 incidents\.<\/Say>/);
  });
});

describe("why an escalation stopped", () => {
  const event = (kind: string, actorType: string, data: Record<string, unknown> = {}) => ({
    kind,
    actorType,
    actorName: "Bob",
    data,
  });

  it("says who and through which door", () => {
    expect(stopReason(event("acknowledged", "slack"))).toBe("acknowledged by Bob from Slack");
    expect(stopReason(event("acknowledged", "user"))).toBe("acknowledged by Bob in Vigil");
    expect(stopReason(event("acknowledged", "apiToken"))).toBe("acknowledged by Bob through the API");
    expect(stopReason(event("acknowledged", "user", { via: "email link" }))).toBe("acknowledged by Bob via email link");
    expect(stopReason(event("status_changed", "user", { to: "investigating" }))).toBe(
      "marked investigating by Bob in Vigil",
    );
    expect(stopReason(event("resolved", "system", { automatic: true }))).toBe("resolved (all alerts resolved)");
  });
});
