import { describe, expect, it } from "vitest";
import { formatDuration } from "./format-duration";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("formatDuration", () => {
  it("writes a span in its largest unit and the next one when that is not zero", () => {
    expect([45_000, 725_000, 5_010_000, 3_600_000, 187_200_000].map((ms) => formatDuration(ms))).toEqual([
      "45s",
      "12m 5s",
      "1h 23m",
      "1h",
      "2d 4h",
    ]);
  });

  it("leaves out what is below the second unit, rather than rounding the span up", () => {
    expect(formatDuration(HOUR + 59 * MINUTE + 59 * SECOND)).toBe("1h 59m");
    expect(formatDuration(DAY + 23 * HOUR + 59 * MINUTE)).toBe("1d 23h");
    expect(formatDuration(3 * DAY)).toBe("3d");
  });

  it("rounds to the nearest second, and shows no span below zero", () => {
    expect(formatDuration(44_600)).toBe("45s");
    expect(formatDuration(400)).toBe("0s");
    expect(formatDuration(-5 * MINUTE)).toBe("0s");
  });

  it("to the minute, drops the seconds an age would flicker with", () => {
    expect(formatDuration(12 * MINUTE + 5 * SECOND, "minute")).toBe("12m");
    expect(formatDuration(2 * HOUR + 5 * MINUTE + 30 * SECOND, "minute")).toBe("2h 5m");
    expect(formatDuration(4 * DAY + 3 * HOUR, "minute")).toBe("4d 3h");
    expect(formatDuration(59 * SECOND, "minute")).toBe("0m");
  });
});
