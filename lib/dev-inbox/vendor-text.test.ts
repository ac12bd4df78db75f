import { describe, expect, it } from "vitest";
import { incidentNumberIn } from "./inbox";
import { blocksText, plainMrkdwn } from "./slack-web-api";
import { spokenWords } from "./twilio";

describe("what the dev inbox shows of a vendor message", () => {
  it("reads Slack links as label and address", () => {
    expect(plainMrkdwn("see <http://x/incidents/INC-1|INC-1> and <https://y/z>")).toBe(
      "see INC-1 (http://x/incidents/INC-1) and https://y/z",
    );
  });

  it("reads a card's blocks: texts, fields on one line, buttons with their URL", () => {
    const text = blocksText([
      { type: "header", text: { type: "plain_text", text: "INC-3 Checkout down" } },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: "*Severity* P1" },
          { type: "mrkdwn", text: "*Status* Open" },
        ],
      },
      {
        type: "actions",
        elements: [
          { type: "button", text: { type: "plain_text", text: "Acknowledge" }, action_id: "ack" },
          { type: "button", text: { type: "plain_text", text: "Open" }, url: "http://x/incidents/INC-3" },
          { type: "overflow", options: [] },
        ],
      },
    ]);
    expect(text).toBe("INC-3 Checkout down\nSeverity P1   Status Open\n[Acknowledge]\n[Open] http://x/incidents/INC-3");
  });

  it("hears a call's <Say> words, entities decoded, nothing else", () => {
    expect(
      spokenWords(
        '<Response><Say>A &amp; B &#8212; &lt;C&gt;</Say><Gather><Say voice="x">Press 1</Say></Gather></Response>',
      ),
    ).toBe("A & B — <C>\nPress 1");
    expect(spokenWords("<Response><Play>x.mp3</Play></Response>")).toBe("");
  });

  it("finds the incident a message names", () => {
    expect(incidentNumberIn(null, "Vigil P1 INC-42: down")).toBe(42);
    expect(incidentNumberIn("PINC-4", "nothing")).toBeNull();
  });
});
