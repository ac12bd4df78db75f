import { describe, expect, it } from "vitest";
import { zonedTime, zonedToday } from "./postmortem-time";

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
});
