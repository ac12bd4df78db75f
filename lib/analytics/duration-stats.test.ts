import { describe, expect, it } from "vitest";
import { durationStats, percentile, roundSeconds, statsOfFrequencies } from "./duration-stats";

describe("percentile (linear interpolation between closest ranks)", () => {
  it("answers null for no values, and the value itself for one", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([42], 0.5)).toBe(42);
    expect(percentile([42], 0.9)).toBe(42);
  });

  it("takes the mean of the two middle values as the median of an even count", () => {
    expect(percentile([60, 120, 180, 600], 0.5)).toBe(150);
  });

  it("interpolates p90 between the two nearest ranks", () => {
    // h = (5 - 1) · 0.9 = 3.6 → 400 + 0.6 · (1000 - 400)
    expect(percentile([100, 200, 300, 400, 1000], 0.9)).toBe(760);
    expect(percentile([10, 20], 0.9)).toBe(19);
  });

  it("gives the minimum at 0 and the maximum at 1", () => {
    expect(percentile([3, 5, 8], 0)).toBe(3);
    expect(percentile([3, 5, 8], 1)).toBe(8);
  });

  it("refuses a fraction outside [0, 1]", () => {
    expect(() => percentile([1], 50)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe("durationStats", () => {
  it("reports mean, p50 and p90 whatever the input order", () => {
    expect(durationStats([1000, 100, 400, 300, 200])).toEqual({ mean: 400, p50: 300, p90: 760 });
  });

  it("reports nulls, never zeros, when there is nothing to measure", () => {
    expect(durationStats([])).toEqual({ mean: null, p50: null, p90: null });
  });

  it("counts a zero duration as a real measurement", () => {
    expect(durationStats([0, 0, 30])).toEqual({ mean: 10, p50: 0, p90: 24 });
  });

  it("rounds to the millisecond", () => {
    expect(durationStats([1, 1, 2])).toEqual({ mean: 1.333, p50: 1, p90: 1.8 });
    expect(roundSeconds(0.1 + 0.2)).toBe(0.3);
    expect(roundSeconds(Number.NaN)).toBeNull();
  });
});

describe("statsOfFrequencies", () => {
  it("gives what durationStats gives for the expanded values", () => {
    const table = [
      { value: 3, count: 2 },
      { value: 1, count: 5 },
      { value: 2, count: 0 },
      { value: 7, count: 1 },
    ];
    const expanded = table.flatMap(({ value, count }) => Array.from({ length: count }, () => value));
    expect(statsOfFrequencies(table)).toEqual(durationStats(expanded));
    // 1 1 1 1 1 3 3 7: h(p90) = 7 · 0.9 = 6.3 → 3 + 0.3 · (7 - 3)
    expect(statsOfFrequencies(table)).toEqual({ mean: 2.25, p50: 1, p90: 4.2 });
  });

  it("matches durationStats on random tables", () => {
    for (let round = 0; round < 50; round++) {
      const table = Array.from({ length: 1 + Math.floor(Math.random() * 6) }, (_, i) => ({
        value: i * 2 + Math.floor(Math.random() * 2),
        count: Math.floor(Math.random() * 4),
      }));
      const expanded = table.flatMap(({ value, count }) => Array.from({ length: count }, () => value));
      expect(statsOfFrequencies(table)).toEqual(durationStats(expanded));
    }
  });

  it("is empty for an empty table", () => {
    expect(statsOfFrequencies([])).toEqual({ mean: null, p50: null, p90: null });
  });
});
