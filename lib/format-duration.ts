// How Vigil writes a span of time, on the board, the incident page, analytics and the postmortem: its
// largest unit and the next one when that is not zero, so the same span reads the same everywhere.

const units = [
  { symbol: "d", seconds: 86_400 },
  { symbol: "h", seconds: 3_600 },
  { symbol: "m", seconds: 60 },
  { symbol: "s", seconds: 1 },
];

/** "second" for how long something took; "minute" for an age that a page refreshes now and then. */
export type DurationPrecision = "second" | "minute";

/** "45s", "12m 5s", "1h 23m", "1h", "2d 4h"; to the minute, "12m" and "0m". A negative span is 0. */
export function formatDuration(ms: number, precision: DurationPrecision = "second"): string {
  const shown = precision === "minute" ? units.slice(0, 3) : units;
  const seconds = Math.max(0, Math.round(ms / 1000));
  const first = shown.findIndex((unit) => seconds >= unit.seconds);
  if (first === -1) return `0${shown[shown.length - 1]!.symbol}`;
  const largest = shown[first]!;
  const next = shown[first + 1];
  const rest = next ? Math.floor((seconds % largest.seconds) / next.seconds) : 0;
  const head = `${Math.floor(seconds / largest.seconds)}${largest.symbol}`;
  return rest && next ? `${head} ${rest}${next.symbol}` : head;
}
