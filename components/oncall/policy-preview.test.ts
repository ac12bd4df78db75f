import { describe, expect, it } from "vitest";
import type { PolicyDefinition, TargetLookup } from "@/lib/oncall/escalation-policy";
import { previewPolicy } from "./policy-preview";

const at = new Date("2026-03-02T10:00:00Z");
const policy: PolicyDefinition = {
  id: "p",
  name: "Primary",
  repeat: 1,
  steps: [
    { delay_minutes: 10, delivery: "everyone", targets: [{ type: "schedule", schedule_id: "s1" }] },
    { delay_minutes: 15, delivery: "everyone", targets: [{ type: "user", user_id: "carol" }] },
  ],
};

/** Alice until 10:05, then bob; carol always active unless told. */
const lookupAt =
  (activeCarol = true) =>
  async (t: Date): Promise<TargetLookup> => ({
    onCall: (id) => (id === "s1" ? [t < new Date("2026-03-02T10:05:00Z") ? "alice" : "bob"] : []),
    userActive: (id) => id !== "carol" || activeCarol,
  });

describe("policy preview", () => {
  it("pages each step at its delay, asking the schedule at that moment, through the repeats", async () => {
    const { pages } = await previewPolicy(policy, at, lookupAt());
    expect(pages.map((p) => [p.at, p.step, p.pass, p.people.map((x) => x.userId)])).toEqual([
      ["2026-03-02T10:00:00.000Z", 0, 0, ["alice"]],
      ["2026-03-02T10:10:00.000Z", 1, 0, ["carol"]],
      ["2026-03-02T10:25:00.000Z", 0, 1, ["bob"]],
      ["2026-03-02T10:35:00.000Z", 1, 1, ["carol"]],
    ]);
    expect(pages[0]!.people[0]!.scheduleId).toBe("s1");
  });

  it("skips an empty step at once and says why", async () => {
    const { pages, trailingSkipped } = await previewPolicy(policy, at, lookupAt(false));
    expect(pages.map((p) => [p.at, p.step, p.pass])).toEqual([
      ["2026-03-02T10:00:00.000Z", 0, 0],
      ["2026-03-02T10:10:00.000Z", 0, 1],
    ]);
    expect(pages[1]!.skipped).toEqual([{ step: 1, pass: 0, reason: expect.stringContaining("no longer active") }]);
    expect(trailingSkipped).toHaveLength(1);
  });
});
