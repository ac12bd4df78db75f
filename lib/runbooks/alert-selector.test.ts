import { describe, expect, it } from "vitest";
import { describeSelector, parseLabelMatcher, selectorMatches, type AlertSelector } from "./alert-selector";

const selector = (alertnames: string[], matchers: string[] = []): AlertSelector => ({ alertnames, matchers: matchers.map(parseLabelMatcher) });

describe("alert selectors", () => {
  it("match by alertname", () => {
    expect(selectorMatches(selector(["HighErrorRate"]), { alertname: "HighErrorRate", service: "api" })).toBe(true);
    expect(selectorMatches(selector(["HighErrorRate"]), { alertname: "HighLatency" })).toBe(false);
  });

  it("apply Prometheus matchers, anchored, with a missing label read as empty", () => {
    const s = selector([], ['service=~"checkout|payments"', 'severity!="info"']);
    expect(selectorMatches(s, { service: "checkout", severity: "critical" })).toBe(true);
    expect(selectorMatches(s, { service: "checkout-v2", severity: "critical" })).toBe(false);
    expect(selectorMatches(s, { service: "payments" })).toBe(true);
    expect(selectorMatches(selector([], ['team!~"ops.*"']), { team: "ops-east" })).toBe(false);
    expect(selectorMatches(selector([], ['team=""']), {})).toBe(true);
  });

  it("need both the alertname and every matcher, and match nothing when empty", () => {
    const s = selector(["ServiceDown"], ['namespace="shop"']);
    expect(selectorMatches(s, { alertname: "ServiceDown", namespace: "shop" })).toBe(true);
    expect(selectorMatches(s, { alertname: "ServiceDown", namespace: "payments" })).toBe(false);
    expect(selectorMatches(selector([]), { alertname: "X" })).toBe(false);
  });

  it("refuse matchers that are not Prometheus syntax or hold a bad regular expression", () => {
    expect(() => parseLabelMatcher("service=checkout")).toThrow(/not a label matcher/);
    expect(() => parseLabelMatcher('service=~"("')).toThrow(/Invalid regular expression/);
    expect(parseLabelMatcher('path="a\\"b"')).toMatchObject({ name: "path", op: "=", value: 'a"b' });
  });

  it("describe themselves for people", () => {
    expect(describeSelector(selector(["A", "B"], ['team="x"']))).toBe('alertname A or B, team="x"');
  });
});
