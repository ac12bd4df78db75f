import { describe, expect, it } from "vitest";
import { windowMatches, windowState } from "./window-matcher";

const incident = {
  groupKey: '{}:{alertname="X"}',
  service: "checkout",
  team: "shop",
  labels: { env: "prod", az: "a" },
};
const window = { groupKey: null, service: null, team: null, labels: {} };

describe("windowMatches", () => {
  it("matches on every value it names, by equality", () => {
    expect(windowMatches({ ...window, service: "checkout" }, incident)).toBe(true);
    expect(windowMatches({ ...window, service: "checkout", team: "shop", labels: { env: "prod" } }, incident)).toBe(
      true,
    );
    expect(windowMatches({ ...window, service: "checkout", labels: { env: "staging" } }, incident)).toBe(false);
    expect(windowMatches({ ...window, team: "payments" }, incident)).toBe(false);
    expect(windowMatches({ ...window, labels: { region: "eu" } }, incident)).toBe(false);
  });

  it("a snooze matches its alert group only", () => {
    expect(windowMatches({ ...window, groupKey: incident.groupKey }, incident)).toBe(true);
    expect(windowMatches({ ...window, groupKey: "{}:{other}" }, incident)).toBe(false);
  });

  it("never mutes a declared incident", () => {
    expect(windowMatches({ ...window, service: "checkout" }, { ...incident, groupKey: null })).toBe(false);
  });
});

describe("windowState", () => {
  const at = (iso: string) => new Date(iso);
  const w = { startsAt: at("2026-12-07T10:00:00Z"), endsAt: at("2026-12-07T12:00:00Z"), deletedAt: null };
  it("is active from its start to just before its end", () => {
    expect(windowState(w, at("2026-12-07T09:59:59Z"))).toBe("upcoming");
    expect(windowState(w, at("2026-12-07T10:00:00Z"))).toBe("active");
    expect(windowState(w, at("2026-12-07T11:59:59Z"))).toBe("active");
    expect(windowState(w, at("2026-12-07T12:00:00Z"))).toBe("ended");
    expect(windowState({ ...w, deletedAt: at("2026-12-07T10:30:00Z") }, at("2026-12-07T11:00:00Z"))).toBe("ended");
  });
});
