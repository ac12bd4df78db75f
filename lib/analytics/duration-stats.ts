// Mean, p50 and p90 of a set of durations, with the one percentile definition analytics uses.
//
// Percentile: linear interpolation between the two nearest ranks (Hyndman & Fan type 7 — numpy's and
// Excel PERCENTILE.INC's default, and PostgreSQL's `percentile_cont`). For sorted values x[0..n-1] and a
// fraction p, h = (n - 1)·p; the percentile is x[⌊h⌋] + (h - ⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋]). So the p50 of an even
// count is the mean of the two middle values, and p90 of [10, 20] is 19. The SQL queries compute the same
// thing with `percentile_cont` in the database (an integration test checks they agree); this function is the
// definition, and what the benchmark and tests use.

export interface DurationStats {
  /** Seconds; null when there is nothing to measure (never 0 for "no data"). */
  mean: number | null;
  p50: number | null;
  p90: number | null;
}

export const noStats: DurationStats = { mean: null, p50: null, p90: null };

/** The p-th percentile (0 ≤ p ≤ 1) of values sorted ascending; null for no values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile fraction must be within [0, 1], got ${p}`);
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * p;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, n - 1);
  return sorted[lower]! + (h - lower) * (sorted[upper]! - sorted[lower]!);
}

export function durationStats(values: readonly number[]): DurationStats {
  if (values.length === 0) return noStats;
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return {
    mean: roundSeconds(mean),
    p50: roundSeconds(percentile(sorted, 0.5)),
    p90: roundSeconds(percentile(sorted, 0.9)),
  };
}

/**
 * The same figures from a frequency table (value → how many times it occurs), without expanding it: for
 * small-integer measures such as alerts per incident, where the database can count instead of sort.
 */
export function statsOfFrequencies(frequencies: readonly { value: number; count: number }[]): DurationStats {
  const table = frequencies.filter((f) => f.count > 0).sort((a, b) => a.value - b.value);
  const n = table.reduce((sum, f) => sum + f.count, 0);
  if (n === 0) return noStats;
  /** The value at 0-based position i of the sorted multiset. */
  const at = (i: number) => {
    let seen = 0;
    for (const f of table) {
      seen += f.count;
      if (i < seen) return f.value;
    }
    return table.at(-1)!.value;
  };
  const interpolated = (p: number) => {
    const h = (n - 1) * p;
    const lower = Math.floor(h);
    return at(lower) + (h - lower) * (at(Math.min(lower + 1, n - 1)) - at(lower));
  };
  const mean = table.reduce((sum, f) => sum + f.value * f.count, 0) / n;
  return { mean: roundSeconds(mean), p50: roundSeconds(interpolated(0.5)), p90: roundSeconds(interpolated(0.9)) };
}

/**
 * Figures are reported to the millisecond: timestamps carry microseconds, and without rounding the same
 * figure computed in PostgreSQL and in JavaScript differs in the last floating-point digits.
 */
export function roundSeconds(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * 1000) / 1000;
}
