import { describe, expect, it } from "vitest";
import { sampleIncident } from "@/test/incident-fixture";
import { incidentEmail, incidentSms, pagerDutyTrigger } from "./messages";

const incident = sampleIncident({
  group_key: '{}:{alertname="HighErrorRate"}',
  labels: { alertname: "HighErrorRate" },
});

describe("notification messages", () => {
  it("triggers PagerDuty with the incident id as dedup key and a mapped severity", () => {
    expect(pagerDutyTrigger(incident, "https://vigil.example.com")).toEqual({
      event_action: "trigger",
      dedup_key: incident.id,
      payload: {
        summary: "[INC-7] Checkout 5xx above 5%",
        source: "checkout",
        severity: "critical",
        timestamp: "2026-11-28T06:21:44.000Z",
        component: "checkout",
        group: "payments",
        class: "HighErrorRate",
        custom_details: {
          vigil_ref: "INC-7",
          severity: "P1",
          status: "open",
          group_key: '{}:{alertname="HighErrorRate"}',
        },
      },
      links: [
        { href: "https://vigil.example.com/incidents/INC-7", text: "INC-7 in Vigil" },
        { href: "http://localhost:3000/runbooks/high-error-rate", text: "Runbook" },
      ],
    });
  });

  it("writes an email with text and escaped HTML and a stable Message-ID", () => {
    const email = incidentEmail(
      { ...incident, title: "<script>x</script>" },
      "https://v",
      "<n1@vigil>",
      "oncall@example.com",
    );
    expect(email.subject).toBe("[P1] INC-7: <script>x</script>");
    expect(email.html).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(email.html).not.toContain("<script>");
    expect(email.text).toContain("Open it in Vigil: https://v/incidents/INC-7");
    expect(email.messageId).toBe("<n1@vigil>");
  });

  it("links an alert's runbook_url in PagerDuty and email only when it is http(s)", () => {
    const hostile = { ...incident, runbook_url: "javascript:alert(document.cookie)" };
    expect(pagerDutyTrigger(hostile, "https://v")).toMatchObject({
      links: [{ href: "https://v/incidents/INC-7", text: "INC-7 in Vigil" }],
    });
    expect(JSON.stringify(pagerDutyTrigger(hostile, "https://v"))).not.toContain("javascript:");
    expect(incidentEmail(hostile, "https://v", "<n1@vigil>", "oncall@example.com").html).not.toContain("javascript:");
  });

  it("keeps an SMS short, with the link", () => {
    expect(incidentSms(incident, "https://v")).toBe("Vigil P1 INC-7: Checkout 5xx above 5% https://v/incidents/INC-7");
  });
});
