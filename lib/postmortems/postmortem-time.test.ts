import { describe, expect, it } from "vitest";
import { formatDuration, zonedTime, zonedToday } from "./postmortem-time";

describe("postmortem times", () => {
  it("writes wall-clock time in the zone, midnight as 00", () => {
    expect(zonedTime(new Date("2026-11-28T23:00:00Z"), "Europe/Berlin")).toEqual({
      date: "2026-11-29",
      time: "00:00:00",
    });
    expect(zonedTime(new Date("2026-11-28T23:00:00Z"), "America/New_York")).toEqual({
      date: "2026-11-28",
      time: "18:00:00",
    });
  });

  it("knows which day it is in the zone", () => {
    expect(zonedToday(new Date("2026-11-28T23:30:00Z"), "Asia/Tokyo")).toBe("2026-11-29");
  });

  it("shows durations compactly", () => {
    expect([45_000, 725_000, 5_010_000, 3_600_000, 187_200_000].map(formatDuration)).toEqual([
      "45s",
      "12m 5s",
      "1h 23m",
      "1h",
      "2d 4h",
    ]);
  });
});
