import { describe, expect, it } from "vitest";
import { renderPostmortem } from "@/lib/postmortems/render-postmortem";
import { unfilledPrompts } from "./postmortem-editor";

describe("unfilledPrompts", () => {
  it("counts every prompt a generated draft leaves to be filled in", () => {
    const draft = renderPostmortem(
      { ref: "INC-7", title: "Search latency", severity: "P3", owner: null, detectedAt: new Date("2026-03-29T00:30:00Z"), resolvedAt: new Date("2026-03-29T01:45:10Z"), resolutionNote: null, autoResolved: false, services: [], alerts: [], events: [], remediationRuns: [] },
      { timeZone: "UTC" },
    );
    // Users affected, revenue impact, services affected, root cause, resolution, lessons learned.
    expect(unfilledPrompts(draft)).toBe(6);
  });

  it("counts none once they are replaced", () => {
    expect(unfilledPrompts("- **Revenue impact:** none, the retry queue held\n\nA bad deploy.")).toBe(0);
  });
});
