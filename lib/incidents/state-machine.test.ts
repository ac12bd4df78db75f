import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { planLifecycleMove, type IncidentStatus, type LifecycleState } from "./state-machine";

const now = new Date("2026-11-28T10:00:00Z");
const earlier = new Date("2026-11-28T09:00:00Z");
const state = (status: IncidentStatus, acknowledgedAt: Date | null = null): LifecycleState => ({
  status,
  acknowledgedAt,
  resolvedAt: status === "resolved" ? earlier : null,
  reopenedCount: 0,
});

function conflictMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("conflict");
    return (error as AppError).message;
  }
  throw new Error("expected a conflict");
}

describe("incident lifecycle", () => {
  it("acknowledges an open incident and stamps acknowledged_at", () => {
    const plan = planLifecycleMove(state("open"), { type: "acknowledge" }, now);
    expect(plan).toEqual({
      changed: true,
      from: "open",
      to: "acknowledged",
      patch: { status: "acknowledged", acknowledgedAt: now },
    });
  });

  it("treats a repeated acknowledgement as no change", () => {
    expect(planLifecycleMove(state("acknowledged", earlier), { type: "acknowledge" }, now).changed).toBe(false);
    expect(planLifecycleMove(state("investigating", earlier), { type: "acknowledge" }, now).changed).toBe(false);
  });

  it("sets acknowledged_at only once, by the first acknowledgement", () => {
    const plan = planLifecycleMove(
      state("acknowledged", earlier),
      { type: "set_status", status: "investigating" },
      now,
    );
    expect(plan.changed && plan.patch).toEqual({ status: "investigating" });
  });

  it("counts going straight to investigating as the acknowledgement", () => {
    const plan = planLifecycleMove(state("open"), { type: "set_status", status: "investigating" }, now);
    expect(plan.changed && plan.patch.acknowledgedAt).toEqual(now);
  });

  it("allows skipping forward from open to resolved without inventing an acknowledgement", () => {
    const plan = planLifecycleMove(state("open"), { type: "resolve" }, now);
    expect(plan).toEqual({
      changed: true,
      from: "open",
      to: "resolved",
      patch: { status: "resolved", resolvedAt: now },
    });
  });

  it("refuses to go back from investigating to acknowledged, and says why", () => {
    const message = conflictMessage(() =>
      planLifecycleMove(state("investigating", earlier), { type: "set_status", status: "acknowledged" }, now),
    );
    expect(message).toMatch(/cannot go back from investigating to acknowledged/);
  });

  it("refuses to acknowledge a resolved incident: it must be reopened first", () => {
    expect(conflictMessage(() => planLifecycleMove(state("resolved"), { type: "acknowledge" }, now))).toMatch(
      /reopen it/,
    );
  });

  it("refuses to set a resolved incident back to open other than by reopening", () => {
    expect(
      conflictMessage(() => planLifecycleMove(state("resolved"), { type: "set_status", status: "open" }, now)),
    ).toMatch(/reopened/);
  });

  it("reopens only resolved incidents, clearing resolved_at and counting the reopening", () => {
    const plan = planLifecycleMove({ ...state("resolved", earlier), reopenedCount: 2 }, { type: "reopen" }, now);
    expect(plan).toEqual({
      changed: true,
      from: "resolved",
      to: "open",
      patch: { status: "open", resolvedAt: null, reopenedCount: 3 },
    });
    expect(conflictMessage(() => planLifecycleMove(state("acknowledged", earlier), { type: "reopen" }, now))).toMatch(
      /Only a resolved incident/,
    );
  });

  it("treats resolving a resolved incident as no change", () => {
    expect(planLifecycleMove(state("resolved"), { type: "resolve" }, now).changed).toBe(false);
  });
});
