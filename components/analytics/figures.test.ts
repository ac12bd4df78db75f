import { describe, expect, it } from "vitest";
import { formatDurationTick, formatSeconds, formatShare } from "./figures";

describe("formatSeconds", () => {
  it("reads a figure in seconds as every duration in Vigil does, a dash for none", () => {
    expect(formatSeconds(null)).toBe("—");
    expect(formatSeconds(0)).toBe("0s");
    expect(formatSeconds(44.6)).toBe("45s");
    expect(formatSeconds(720)).toBe("12m");
    expect(formatSeconds(3900)).toBe("1h 5m");
    expect(formatSeconds(2 * 86_400 + 3 * 3600)).toBe("2d 3h");
    expect(formatSeconds(86_400)).toBe("1d");
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
