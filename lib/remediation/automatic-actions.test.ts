import { describe, expect, it } from "vitest";
import { parseRunbookDocument } from "../runbooks/runbook-document";
import type { AlertFacts, CatalogRunbook } from "../runbooks/runbook-matching";
import { automaticActionsMayApply } from "./trigger-automatic-runs";

function runbook(slug: string, alertname: string, auto: boolean): CatalogRunbook {
  const actions = auto ? `actions:\n  - id: restart\n    type: k8s.rollout_restart\n    title: Restart\n    auto: true\n    params:\n      namespace: shop\n      deployment: "{{ labels.deployment }}"\n` : "";
  const parsed = parseRunbookDocument(`---\nslug: ${slug}\ntitle: ${slug}\nalerts:\n  alertnames: [${alertname}]\n${actions}---\n## Symptoms\n`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return { id: slug, slug, title: slug, version: 1, document: parsed.document };
}

const alert = (fingerprint: string, alertname: string): AlertFacts => ({ fingerprint, status: "firing", labels: { alertname, deployment: "checkout" }, annotations: {} });
const catalog = [runbook("high-latency", "HighLatency", false), runbook("crash-looping", "PodCrashLooping", true)];
const incident = { runbookUrl: null, labels: {} };

describe("whether a new incident may start an automatic action (and so gets a trigger job)", () => {
  it("is no when no runbook its alerts lead to has one", () => {
    expect(automaticActionsMayApply(catalog, incident, [alert("a", "HighLatency")])).toBe(false);
    expect(automaticActionsMayApply(catalog, incident, [alert("a", "NoRunbook")])).toBe(false);
  });

  it("is yes when any of its alerts leads to a runbook with one, whatever their order", () => {
    expect(automaticActionsMayApply(catalog, incident, [alert("a", "HighLatency"), alert("b", "PodCrashLooping")])).toBe(true);
    expect(automaticActionsMayApply(catalog, incident, [alert("b", "PodCrashLooping"), alert("a", "HighLatency")])).toBe(true);
  });
});
