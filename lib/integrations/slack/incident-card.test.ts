import { describe, expect, it } from "vitest";
import { sampleIncident } from "@/test/incident-fixture";
import { incidentCard } from "./incident-card";

const incident = sampleIncident({ ref: "INC-42", number: 42, title: "Checkout <5xx> & timeouts" });

const buttonsOf = (card: ReturnType<typeof incidentCard>) =>
  (card.blocks.find((b) => b.type === "actions") as { elements: { action_id: string; text: { text: string }; value?: string; url?: string }[] }).elements;

describe("the Slack incident card", () => {
  it("shows severity, title, status, service, owner and links, escaping Slack markup", () => {
    const card = incidentCard(incident, "https://vigil.example.com");
    const json = JSON.stringify(card.blocks);
    expect(json).toContain("<https://vigil.example.com/incidents/INC-42|INC-42: Checkout &lt;5xx&gt; &amp; timeouts>");
    expect(json).toContain("*Status*\\nOpen");
    expect(json).toContain("*Service*\\ncheckout");
    expect(json).toContain("*Owner*\\nunassigned");
    expect(json).toContain("|Runbook>");
    expect(card.text).toBe("🔴 P1 INC-42: Checkout <5xx> & timeouts (Open)");
  });

  it("offers Acknowledge and Resolve (with a confirmation) while open, carrying the incident id", () => {
    const buttons = buttonsOf(incidentCard(incident, "http://x"));
    expect(buttons.map((b) => b.action_id)).toEqual(["incident_acknowledge", "incident_resolve", "incident_open"]);
    expect(buttons[0]!.value).toBe(incident.id);
    expect(buttons.every((b) => b.text.text.length <= 75)).toBe(true);
  });

  it("drops Acknowledge once acknowledged and both actions once resolved", () => {
    expect(buttonsOf(incidentCard({ ...incident, status: "acknowledged" }, "http://x")).map((b) => b.action_id)).toEqual(["incident_resolve", "incident_open"]);
    expect(buttonsOf(incidentCard({ ...incident, status: "resolved" }, "http://x")).map((b) => b.action_id)).toEqual(["incident_open"]);
  });
});
