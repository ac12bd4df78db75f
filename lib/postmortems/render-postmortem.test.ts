import { describe, expect, it } from "vitest";
import { ACTION_ITEMS_PLACEHOLDER, renderPostmortem, unfilledPrompts, type PostmortemFacts } from "./render-postmortem";

const facts = (overrides: Partial<PostmortemFacts> = {}): PostmortemFacts => ({
  ref: "INC-7",
  title: "Search latency",
  severity: "P3",
  owner: null,
  detectedAt: new Date("2026-03-29T00:30:00Z"),
  resolvedAt: new Date("2026-03-29T01:45:10Z"),
  resolutionNote: null,
  autoResolved: false,
  services: [],
  alerts: [],
  events: [],
  remediationRuns: [],
  ...overrides,
});

describe("the postmortem draft", () => {
  it("has the template's sections in order", () => {
    const headings = renderPostmortem(facts(), { timeZone: "UTC" })
      .split("\n")
      .filter((l) => l.startsWith("#"));
    expect(headings).toEqual([
      "# Incident Postmortem: [INC-7] Search latency",
      "## Impact",
      "## Timeline",
      "## Root Cause",
      "## Resolution",
      "## Action Items",
      "## Lessons Learned",
    ]);
  });

  it("writes times in the configured zone, across a daylight saving change", () => {
    const events = [
      { at: new Date("2026-03-29T00:30:00Z"), kind: "created", actorName: "Vigil", text: "Declared" },
      { at: new Date("2026-03-29T01:30:00Z"), kind: "acknowledged", actorName: "Bob", text: "Acknowledged by Bob" },
    ];
    const markdown = renderPostmortem(facts({ events }), { timeZone: "Europe/Berlin" });
    expect(markdown).toContain("| Time (Europe/Berlin) | Event |");
    expect(markdown).toContain("| 2026-03-29 01:30:00 | Declared |");
    expect(markdown).toContain("| 2026-03-29 03:30:00 | Acknowledged by Bob |");
  });

  it("leaves what Vigil cannot know as prompts, and says who owns it", () => {
    const markdown = renderPostmortem(facts(), { timeZone: "UTC" });
    expect(markdown).toContain("- **Owner:** unassigned");
    expect(markdown).toContain("- **Services affected:** _to be filled in_");
    expect(markdown).toContain("- **Duration:** 1h 15m");
    expect(markdown).toContain(`## Action Items\n\n${ACTION_ITEMS_PLACEHOLDER}`);
    expect(markdown).toContain("_How was it resolved? To be filled in._");
  });

  it("tells events of kinds it does not know by their own text, and leaves out its own bookkeeping", () => {
    const events = [
      {
        at: new Date("2026-03-29T00:40:00Z"),
        kind: "chaos_experiment",
        actorName: "Gremlin",
        text: "Latency injected into search",
      },
      { at: new Date("2026-03-29T00:41:00Z"), kind: "mystery", actorName: "Vigil", text: "" },
      {
        at: new Date("2026-03-29T00:42:00Z"),
        kind: "postmortem_drafted",
        actorName: "Vigil",
        text: "Postmortem draft ready",
      },
      {
        at: new Date("2026-03-29T00:43:00Z"),
        kind: "notification_failed",
        actorName: "Vigil",
        text: "Slack failed, attempt 1 of 8",
      },
    ];
    const markdown = renderPostmortem(facts({ events }), { timeZone: "UTC" });
    expect(markdown).toContain("| 2026-03-29 00:40:00 | Latency injected into search |");
    expect(markdown).toContain("| 2026-03-29 00:41:00 | mystery (Vigil) |");
    expect(markdown).not.toContain("Postmortem draft ready");
    expect(markdown).not.toContain("attempt 1 of 8");
  });

  it("says an incident that resolved by itself did so, and that one still open is ongoing", () => {
    expect(renderPostmortem(facts({ autoResolved: true }), { timeZone: "UTC" })).toContain(
      "Resolved automatically: every alert of the incident had resolved.",
    );
    expect(renderPostmortem(facts({ resolvedAt: null }), { timeZone: "UTC" })).toContain("- **Duration:** ongoing");
  });
});

describe("unfilledPrompts", () => {
  it("counts every prompt a generated draft leaves to be filled in", () => {
    const draft = renderPostmortem(facts(), { timeZone: "UTC" });
    // Users affected, revenue impact, services affected, root cause, resolution, lessons learned.
    expect(unfilledPrompts(draft)).toBe(6);
  });

  it("counts none once they are replaced", () => {
    expect(unfilledPrompts("- **Revenue impact:** none, the retry queue held\n\nA bad deploy.")).toBe(0);
  });
});
