import { describe, expect, it } from "vitest";
import { canonicalTimeZone, instantOf, parseLocalDateTime, wallTimeAt, weekdayOf } from "./zoned-time";

const wall = (text: string) => parseLocalDateTime(text)!;
const iso = (ms: number) => new Date(ms).toISOString();

describe("instantOf: the DST rules", () => {
  it("moves a start in New York's skipped hour to the first instant after it", () => {
    expect(iso(instantOf(wall("2026-03-08T02:30"), "America/New_York", "start"))).toBe("2026-03-08T07:00:00.000Z");
  });

  it("takes New York's first 01:30 for a start and the last for an end on the fall-back night", () => {
    expect(iso(instantOf(wall("2026-11-01T01:30"), "America/New_York", "start"))).toBe("2026-11-01T05:30:00.000Z");
    expect(iso(instantOf(wall("2026-11-01T01:30"), "America/New_York", "end"))).toBe("2026-11-01T06:30:00.000Z");
  });

  it("does the same in London around both changes", () => {
    expect(iso(instantOf(wall("2026-03-29T01:30"), "Europe/London", "start"))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(instantOf(wall("2026-10-25T01:30"), "Europe/London", "start"))).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(instantOf(wall("2026-10-25T01:30"), "Europe/London", "end"))).toBe("2026-10-25T01:30:00.000Z");
  });

  it("handles Lord Howe's half-hour changes", () => {
    // 2026-10-04 02:00 +10:30 becomes 02:30 +11: 02:15 is skipped.
    expect(iso(instantOf(wall("2026-10-04T02:15"), "Australia/Lord_Howe", "start"))).toBe("2026-10-03T15:30:00.000Z");
    // 2026-04-05 02:00 +11 becomes 01:30 +10:30: 01:45 happens twice.
    expect(iso(instantOf(wall("2026-04-05T01:45"), "Australia/Lord_Howe", "start"))).toBe("2026-04-04T14:45:00.000Z");
    expect(iso(instantOf(wall("2026-04-05T01:45"), "Australia/Lord_Howe", "end"))).toBe("2026-04-04T15:15:00.000Z");
  });

  it("reads an ordinary wall time as the one instant it names", () => {
    const t = instantOf(wall("2026-07-01T09:00"), "America/New_York", "start");
    expect(iso(t)).toBe("2026-07-01T13:00:00.000Z");
    expect(wallTimeAt(t, "America/New_York")).toEqual(wall("2026-07-01T09:00"));
  });
});

describe("zone names and local date-times", () => {
  it("knows IANA zones and refuses made-up ones", () => {
    expect(canonicalTimeZone("Europe/London")).toBe("Europe/London");
    expect(canonicalTimeZone("Mars/Olympus_Mons")).toBeNull();
    expect(canonicalTimeZone("")).toBeNull();
  });

  it("refuses a date that does not exist and reads the weekday in ISO order", () => {
    expect(parseLocalDateTime("2026-02-30T09:00")).toBeNull();
    expect(parseLocalDateTime("2026-03-02 09:00")).toBeNull();
    expect(weekdayOf(wall("2026-03-02T09:00"))).toBe(0); // a Monday
    expect(weekdayOf(wall("2026-03-08T09:00"))).toBe(6); // a Sunday
  });
});
