import { describe, expect, it } from "vitest";
import type { Schedule } from "@/lib/oncall/on-call-at";
import { dayMarks, placeBars, timelineRows } from "./timeline-layout";

const from = new Date("2026-03-02T00:00:00Z");
const to = new Date("2026-03-04T00:00:00Z");

const schedule: Schedule = {
  timeZone: "UTC",
  layers: [
    {
      id: "l1",
      name: "Office hours",
      anchor: "2026-03-02T09:00",
      interval: { unit: "days", count: 1 },
      participants: ["alice", "bob"],
      restrictions: [{ days: [0, 1, 2, 3, 4], start: "09:00", end: "17:00" }],
    },
  ],
  overrides: [
    {
      id: "o1",
      start: new Date("2026-03-03T12:00:00Z"),
      end: new Date("2026-03-03T14:00:00Z"),
      userId: "carol",
      kind: "replace",
      replaces: null,
    },
  ],
};

describe("timeline layout", () => {
  it("places bars by percent of the window and clips them to it", () => {
    const bars = placeBars(
      [{ start: new Date("2026-03-01T00:00:00Z"), end: new Date("2026-03-02T12:00:00Z"), userIds: ["a"] }],
      from,
      to,
    );
    expect(bars).toEqual([
      expect.objectContaining({ start: "2026-03-02T00:00:00.000Z", left: 0, width: 25, gap: false }),
    ]);
  });

  it("marks the final schedule's nobody spans as gaps, and only those", () => {
    const [final] = timelineRows(schedule, from, to);
    expect(final!.label).toBe("Final schedule");
    const gaps = final!.bars.filter((b) => b.gap);
    expect(gaps[0]).toMatchObject({ start: "2026-03-02T00:00:00.000Z", end: "2026-03-02T09:00:00.000Z" });
    expect(final!.bars.find((b) => b.start === "2026-03-03T12:00:00.000Z")).toMatchObject({ userIds: ["carol"] });
    expect(final!.bars.every((b) => b.gap === (b.userIds.length === 0))).toBe(true);
  });

  it("shows each layer and each override apart from the final schedule", () => {
    const rows = timelineRows(schedule, from, to);
    expect(rows.map((r) => r.label)).toEqual(["Final schedule", "Layer: Office hours", "Override 1 (replaces)"]);
    expect(rows[1]!.bars.map((b) => [b.start, b.userIds])).toEqual([
      ["2026-03-02T09:00:00.000Z", ["alice"]],
      ["2026-03-03T09:00:00.000Z", ["bob"]],
    ]);
    expect(rows[2]!.bars).toEqual([expect.objectContaining({ left: 75, width: 4.167, userIds: ["carol"] })]);
  });

  it("marks each UTC midnight inside the window", () => {
    expect(dayMarks(from, to)).toEqual([{ iso: "2026-03-03T00:00:00.000Z", left: 50 }]);
  });
});
