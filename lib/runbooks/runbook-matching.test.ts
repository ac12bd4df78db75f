import { describe, expect, it } from "vitest";
import { parseRunbookDocument } from "./runbook-document";
import {
  alertsForRunbook,
  matchRunbook,
  slugFromRunbookUrl,
  type AlertFacts,
  type CatalogRunbook,
} from "./runbook-matching";

function runbook(slug: string, alerts: string): CatalogRunbook {
  const parsed = parseRunbookDocument(`---\nslug: ${slug}\ntitle: ${slug}\nalerts:\n${alerts}\n---\n## Symptoms\n`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return { id: slug, slug, title: slug, version: 1, document: parsed.document, actionsInactive: null };
}

const alert = (fingerprint: string, labels: Record<string, string>, extra: Partial<AlertFacts> = {}): AlertFacts => ({
  fingerprint,
  status: "firing",
  labels,
  annotations: {},
  ...extra,
});

const catalog = [
  runbook("high-error-rate", "  alertnames: [HighErrorRate]"),
  runbook("checkout-errors", "  alertnames: [HighErrorRate]\n  matchers: ['service=\"checkout\"']"),
  runbook("service-down", "  alertnames: [ServiceDown]"),
];

describe("matching an incident to its runbook", () => {
  it("reads the slug from a runbook_url on any host, and nothing from other links", () => {
    expect(slugFromRunbookUrl("http://localhost:3000/runbooks/high-error-rate")).toBe("high-error-rate");
    expect(slugFromRunbookUrl("https://vigil.example.com/runbooks/service-down/")).toBe("service-down");
    expect(slugFromRunbookUrl("https://wiki.example.com/pages/runbook-42")).toBeNull();
    expect(slugFromRunbookUrl(null)).toBeNull();
  });

  it("follows the incident's runbook_url first, even when another runbook's selector fits better", () => {
    const match = matchRunbook(catalog, { runbookUrl: "http://localhost:3000/runbooks/high-error-rate", labels: {} }, [
      alert("a", { alertname: "HighErrorRate", service: "checkout" }),
    ]);
    expect(match).toMatchObject({ runbook: { slug: "high-error-rate" }, reason: "linked by the alert's runbook_url" });
  });

  it("else takes the most specific runbook whose selector fits a firing alert", () => {
    const match = matchRunbook(catalog, { runbookUrl: null, labels: {} }, [
      alert("a", { alertname: "HighErrorRate", service: "checkout" }),
    ]);
    expect(match).toMatchObject({
      runbook: { slug: "checkout-errors" },
      reason: 'matches alertname HighErrorRate, service="checkout"',
    });
    expect(
      matchRunbook(catalog, { runbookUrl: null, labels: {} }, [
        alert("a", { alertname: "HighErrorRate", service: "search" }),
      ])?.runbook.slug,
    ).toBe("high-error-rate");
  });

  it("uses an alert's own runbook_url annotation, and an incident's labels when it has no alerts", () => {
    expect(
      matchRunbook(catalog, { runbookUrl: null, labels: {} }, [
        alert("a", { alertname: "Custom" }, { annotations: { runbook_url: "/runbooks/service-down" } }),
      ])?.runbook.slug,
    ).toBe("service-down");
    expect(matchRunbook(catalog, { runbookUrl: null, labels: { alertname: "ServiceDown" } }, [])?.runbook.slug).toBe(
      "service-down",
    );
    expect(
      matchRunbook(catalog, { runbookUrl: "https://elsewhere.example/doc", labels: {} }, [
        alert("a", { alertname: "Unrelated" }),
      ]),
    ).toBeNull();
  });

  it("lists the alerts a runbook's actions are for, firing ones first", () => {
    const alerts = [
      alert("r", { alertname: "HighErrorRate", service: "a" }, { status: "resolved" }),
      alert("f", { alertname: "HighErrorRate", service: "b" }),
      alert("x", { alertname: "Other" }),
    ];
    expect(alertsForRunbook(catalog[0]!, alerts).map((a) => a.fingerprint)).toEqual(["f", "r"]);
  });
});
