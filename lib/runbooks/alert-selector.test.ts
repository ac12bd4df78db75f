import { describe, expect, it } from "vitest";
import {
  describeSelector,
  MAX_MATCHED_VALUE_LENGTH,
  MAX_PATTERN_LENGTH,
  parseLabelMatcher,
  readLabelMatcher,
  selectorMatches,
  type AlertSelector,
} from "./alert-selector";

const selector = (alertnames: string[], matchers: string[] = []): AlertSelector => ({
  alertnames,
  matchers: matchers.map(parseLabelMatcher),
});

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

  it("match a hostile regular expression in milliseconds, where backtracking doubled with each character", () => {
    // (.*.)*X over a 28-character alertname took about ten seconds on JavaScript's RegExp.
    const s = selector([], ['alertname=~"(.*.)*X"']);
    const started = performance.now();
    expect(selectorMatches(s, { alertname: "a".repeat(28) })).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(selectorMatches(s, { alertname: "aaX" })).toBe(true);
  });

  it("anchor the whole expression, alternation included, as Prometheus does", () => {
    expect(selectorMatches(selector([], ['service=~"api|web"']), { service: "xapi" })).toBe(false);
    expect(selectorMatches(selector([], ['service=~"api|web"']), { service: "web2" })).toBe(false);
    expect(selectorMatches(selector([], ['service=~"a|ab"']), { service: "ab" })).toBe(true);
    expect(selectorMatches(selector([], ['summary=~"disk.*full"']), { summary: "disk\nfull" })).toBe(true);
    // A value that would close the anchoring group is no expression on its own.
    expect(() => parseLabelMatcher('service=~"x)|(.*"')).toThrow(/Invalid regular expression/);
  });

  it("refuse what RE2 cannot run in linear time, and outsized expressions", () => {
    expect(() => parseLabelMatcher('service=~"(?!canary).*"')).toThrow(/Invalid regular expression for RE2.*\(\?!/);
    expect(() => parseLabelMatcher('service=~"(a)\\\\1"')).toThrow(/Invalid regular expression for RE2/);
    expect(() => parseLabelMatcher(`service=~"${"a".repeat(MAX_PATTERN_LENGTH + 1)}"`)).toThrow(
      /longer than 1000 characters/,
    );
    expect(() => parseLabelMatcher('service=~".*a.{999}c"')).toThrow(/too large for a label matcher/);
    expect(parseLabelMatcher('service=~"(?i)check(out|-v2)"').value).toBe("(?i)check(out|-v2)");
  });

  it("do not hold for an outsized label value, nor for a stored expression RE2 refuses, whichever the operator", () => {
    const long = "a".repeat(MAX_MATCHED_VALUE_LENGTH + 1);
    expect(selectorMatches(selector([], ['service=~"a*"']), { service: long })).toBe(false);
    expect(selectorMatches(selector([], ['service!~"b*"']), { service: long })).toBe(false);
    const stored = (text: string): AlertSelector => ({ alertnames: [], matchers: [readLabelMatcher(text)] });
    expect(selectorMatches(stored('service=~"(?!canary).*"'), { service: "web" })).toBe(false);
    expect(selectorMatches(stored('service!~"(?=canary).*"'), { service: "web" })).toBe(false);
  });

  it("describe themselves for people", () => {
    expect(describeSelector(selector(["A", "B"], ['team="x"']))).toBe('alertname A or B, team="x"');
  });
});
