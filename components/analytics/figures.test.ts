import { describe, expect, it } from "vitest";
import { formatDuration, formatDurationTick, formatShare } from "./figures";

describe("formatDuration", () => {
  it("uses the largest unit that keeps it short", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(44.6)).toBe("45 s");
    expect(formatDuration(720)).toBe("12 min");
    expect(formatDuration(3900)).toBe("1 h 05 min");
    expect(formatDuration(2 * 86_400 + 3 * 3600)).toBe("2 d 3 h");
    expect(formatDuration(86_400)).toBe("1 d");
  });
});

describe("formatShare and ticks", () => {
  it("reads as people expect", () => {
    expect(formatShare(0.1234)).toBe("12.3 %");
    expect(formatShare(null)).toBe("—");
    expect(formatDurationTick(1800)).toBe("30m");
    expect(formatDurationTick(90)).toBe("1.5m");
    expect(formatDurationTick(9000)).toBe("2.5h");
    expect(formatDurationTick(36_000)).toBe("10h");
    expect(formatDurationTick(259_200)).toBe("3d");
  });
});
