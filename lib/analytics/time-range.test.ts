import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { bucketStart, bucketStarts, resolveTimeRange, TimeRangeQuery } from "./time-range";

const now = new Date("2026-11-28T08:30:00Z");

describe("resolveTimeRange", () => {
  it("defaults to the 30 days before now", () => {
    expect(resolveTimeRange({}, now)).toEqual({ from: new Date("2026-10-29T08:30:00Z"), to: now });
  });

  it("reads calendar dates as midnight UTC and instants with their offset", () => {
    const query = TimeRangeQuery.parse({ from: "2026-11-01", to: "2026-11-02T01:00:00+02:00" });
    expect(resolveTimeRange(query, now)).toEqual({
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-01T23:00:00Z"),
    });
  });

  it("refuses a range the wrong way round, or wider than 400 days", () => {
    expect(() => resolveTimeRange({ from: "2026-11-02", to: "2026-11-01" }, now)).toThrow(AppError);
    expect(() => resolveTimeRange({ from: "2025-01-01", to: "2026-11-01" }, now)).toThrow(/at most 400 days/);
  });

  it("reads range=Nd as the last N days up to now, alone and at most 400 days", () => {
    expect(resolveTimeRange(TimeRangeQuery.parse({ range: "90d" }), now)).toEqual({
      from: new Date("2026-08-30T08:30:00Z"),
      to: now,
    });
    expect(() => resolveTimeRange(TimeRangeQuery.parse({ range: "7d", from: "2026-11-01" }), now)).toThrow(
      /either `range` or `from`/,
    );
    expect(() => resolveTimeRange(TimeRangeQuery.parse({ range: "401d" }), now)).toThrow(/at most 400 days/);
    for (const bad of ["0d", "90", "1w", "-7d", "1000d"])
      expect(TimeRangeQuery.safeParse({ range: bad }).success).toBe(false);
  });

  it("refuses what is not a date", () => {
    expect(TimeRangeQuery.safeParse({ from: "last week" }).success).toBe(false);
  });
});

describe("buckets", () => {
  it("starts days at 00:00 UTC and weeks on Monday", () => {
    expect(bucketStart(new Date("2026-11-28T23:59:59Z"), "day")).toEqual(new Date("2026-11-28T00:00:00Z"));
    // 2026-11-28 is a Saturday; its ISO week began on Monday the 23rd.
    expect(bucketStart(new Date("2026-11-28T08:00:00Z"), "week")).toEqual(new Date("2026-11-23T00:00:00Z"));
    expect(bucketStart(new Date("2026-11-23T00:00:00Z"), "week")).toEqual(new Date("2026-11-23T00:00:00Z"));
    expect(bucketStart(new Date("2026-11-22T23:59:59Z"), "week")).toEqual(new Date("2026-11-16T00:00:00Z"));
  });

  it("lists every bucket overlapping the half-open range", () => {
    const range = { from: new Date("2026-11-01T12:00:00Z"), to: new Date("2026-11-04T00:00:00Z") };
    expect(bucketStarts(range, "day").map((d) => d.toISOString().slice(0, 10))).toEqual([
      "2026-11-01",
      "2026-11-02",
      "2026-11-03",
    ]);
    expect(
      bucketStarts({ from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-11-17T00:00:00Z") }, "week").map((d) =>
        d.toISOString().slice(0, 10),
      ),
    ).toEqual(["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]);
  });
});
