import { describe, expect, it } from "vitest";
import { summarizeRemediationRuns } from "./get-remediation-success";
import { shareOf } from "./share";

describe("summarizeRemediationRuns", () => {
  it("is empty, with no share rather than 0 %, when there are no runs", () => {
    expect(summarizeRemediationRuns([])).toEqual({
      runs: 0,
      succeeded: 0,
      failed: 0,
      success_share: null,
      by_action: [],
    });
  });

  it("shares out the finished runs only, overall and per action, busiest action first", () => {
    const summary = summarizeRemediationRuns([
      { action: "restart-deployment", status: "succeeded", runs: 6 },
      { action: "restart-deployment", status: "failed", runs: 2 },
      { action: "restart-deployment", status: "pending_approval", runs: 1 },
      { action: "scale-deployment", status: "rejected", runs: 2 },
    ]);
    expect(summary).toEqual({
      runs: 11,
      succeeded: 6,
      failed: 2,
      success_share: 0.75,
      by_action: [
        { action: "restart-deployment", runs: 9, succeeded: 6, failed: 2, success_share: 0.75 },
        { action: "scale-deployment", runs: 2, succeeded: 0, failed: 0, success_share: null },
      ],
    });
  });
});

describe("shareOf", () => {
  it("rounds to four decimals and has no share of nothing", () => {
    expect(shareOf(1, 3)).toBe(0.3333);
    expect(shareOf(0, 0)).toBeNull();
  });
});
