import { describe, expect, it } from "vitest";
import type { IncidentRow } from "@/db/schema";
import { incidentMilestones } from "./incident-metrics";

const created = new Date("2026-11-28T08:00:00Z");
const row = (overrides: Partial<IncidentRow> = {}) =>
  ({
    createdAt: created,
    status: "open",
    acknowledgedAt: null,
    resolvedAt: null,
    reopenedCount: 0,
    excludeFromMetrics: false,
    ...overrides,
  }) as IncidentRow;
const at = (seconds: number) => new Date(created.getTime() + seconds * 1000);

describe("incidentMilestones", () => {
  it("counts a creation", () => {
    expect(incidentMilestones({ before: null, after: row() })).toEqual({
      created: true,
      acknowledgedAfter: null,
      resolvedAfter: null,
    });
  });

  it("times the first acknowledgement, and only that one", () => {
    expect(
      incidentMilestones({ before: row(), after: row({ status: "acknowledged", acknowledgedAt: at(90) }) })
        .acknowledgedAfter,
    ).toBe(90);
    const acknowledged = row({ status: "acknowledged", acknowledgedAt: at(90) });
    expect(
      incidentMilestones({ before: acknowledged, after: { ...acknowledged, status: "investigating" } })
        .acknowledgedAfter,
    ).toBeNull();
  });

  it("times the first resolution; a reopened incident resolving again is not timed twice", () => {
    expect(incidentMilestones({ before: row(), after: row({ status: "resolved", resolvedAt: at(600) }) })).toEqual({
      created: false,
      acknowledgedAfter: null,
      resolvedAfter: 600,
    });
    expect(
      incidentMilestones({
        before: row({ reopenedCount: 1 }),
        after: row({ status: "resolved", resolvedAt: at(900), reopenedCount: 1 }),
      }).resolvedAfter,
    ).toBeNull();
  });

  it("times acknowledgement and resolution together when one move does both", () => {
    expect(
      incidentMilestones({
        before: row(),
        after: row({ status: "resolved", acknowledgedAt: at(30), resolvedAt: at(30) }),
      }),
    ).toMatchObject({ acknowledgedAfter: 30, resolvedAfter: 30 });
  });

  it("does not time drills and tests", () => {
    expect(
      incidentMilestones({
        before: row({ excludeFromMetrics: true }),
        after: row({ status: "resolved", resolvedAt: at(60), excludeFromMetrics: true }),
      }),
    ).toEqual({ created: false, acknowledgedAfter: null, resolvedAfter: null });
  });
});
