/** part / whole to four decimals (12.34 %), or null when there is no whole to share out. */
export function shareOf(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}
