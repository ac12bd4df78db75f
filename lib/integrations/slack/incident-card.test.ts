import { describe, expect, it } from "vitest";
import { sampleIncident } from "@/test/incident-fixture";
import { incidentCard } from "./incident-card";

const incident = sampleIncident({ ref: "INC-42", number: 42, title: "Checkout <5xx> & timeouts" });

const buttonsOf = (card: ReturnType<typeof incidentCard>) =>
  (
    card.blocks.find((b) => b.type === "actions") as {
      elements: { action_id: string; text: { text: string }; value?: string; url?: string }[];
    }
  ).elements;

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

  it("links the runbook: Vigil's own page for a Vigil runbook URL of any host, a wiki as it is, else the incident's runbook section", () => {
    const linkOf = (runbook_url: string | null) =>
      /<([^|>]+)\|Runbook>/.exec(
        JSON.stringify(incidentCard({ ...incident, runbook_url }, "https://vigil.example.com").blocks),
      )?.[1];
    expect(linkOf("http://localhost:3000/runbooks/high-error-rate")).toBe(
      "https://vigil.example.com/runbooks/high-error-rate",
    );
    expect(linkOf("https://wiki.example.com/display/OPS/Checkout")).toBe(
      "https://wiki.example.com/display/OPS/Checkout",
    );
    expect(linkOf(null)).toBe("https://vigil.example.com/incidents/INC-42#runbook");
  });

  it("lets no runbook_url from an alert add Slack markup, relabel the link, or link anything but http(s)", () => {
    const linksOf = (runbook_url: string) =>
      (
        incidentCard({ ...incident, runbook_url }, "https://vigil.example.com").blocks[2] as {
          elements: { text: string }[];
        }
      ).elements[0]!.text;
    const open = "<https://vigil.example.com/incidents/INC-42|Open in Vigil>";
    expect(linksOf("https://wiki.example.com/x|Click to approve>")).toBe(
      `${open} · <https://wiki.example.com/x%7CClick%20to%20approve%3E|Runbook>`,
    );
    expect(linksOf("https://wiki.example.com/?a=1&b=<!channel>")).toBe(
      `${open} · <https://wiki.example.com/?a=1&amp;b=%3C!channel%3E|Runbook>`,
    );
    for (const url of ["javascript:alert(1)", "slack://open", "/relative", "<!here>"]) {
      expect(linksOf(url)).toBe(`${open} · <https://vigil.example.com/incidents/INC-42#runbook|Runbook>`);
    }
  });

  it("offers Acknowledge and Resolve (with a confirmation) while open, carrying the incident id", () => {
    const buttons = buttonsOf(incidentCard(incident, "http://x"));
    expect(buttons.map((b) => b.action_id)).toEqual(["incident_acknowledge", "incident_resolve", "incident_open"]);
    expect(buttons[0]!.value).toBe(incident.id);
    expect(buttons.every((b) => b.text.text.length <= 75)).toBe(true);
  });

  it("drops Acknowledge once acknowledged and both actions once resolved", () => {
    expect(
      buttonsOf(incidentCard({ ...incident, status: "acknowledged" }, "http://x")).map((b) => b.action_id),
    ).toEqual(["incident_resolve", "incident_open"]);
    expect(buttonsOf(incidentCard({ ...incident, status: "resolved" }, "http://x")).map((b) => b.action_id)).toEqual([
      "incident_open",
    ]);
  });

  it("offers a timeline note, investigating (until then) and the Vigil link in its overflow menu", () => {
    const menuOf = (card: ReturnType<typeof incidentCard>) => {
      const accessory = (
        card.blocks[0] as {
          accessory?: {
            type: string;
            action_id: string;
            options: { value: string; url?: string; text: { text: string } }[];
          };
        }
      ).accessory;
      expect(accessory).toMatchObject({ type: "overflow", action_id: "incident_menu" });
      return accessory!.options;
    };
    const open = menuOf(incidentCard(incident, "http://x"));
    expect(open.map((o) => o.value)).toEqual([
      `note:${incident.id}`,
      `investigating:${incident.id}`,
      `open:${incident.id}`,
    ]);
    expect(open[2]!.url).toBe("http://x/incidents/INC-42");
    expect(open.every((o) => o.value.length <= 75 && o.text.text.length <= 75)).toBe(true);
    expect(
      menuOf(incidentCard({ ...incident, status: "investigating" }, "http://x")).map((o) => o.value.split(":")[0]),
    ).toEqual(["note", "open"]);
    expect(
      menuOf(incidentCard({ ...incident, status: "resolved" }, "http://x")).map((o) => o.value.split(":")[0]),
    ).toEqual(["note", "open"]);
  });
});
