// Wall-clock time in an IANA zone and the instants it names, with the DST rules of docs/oncall.md: a wall
// time in a skipped hour means the first instant after the gap; an ambiguous wall time means its first
// instance when it starts something and its last when it ends something. The zone rules are Node's ICU
// (Intl), never a table of our own.

/** A wall-clock date and time, to the minute, with no zone: what a clock on the wall shows. */
export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
}

/** Which instance an ambiguous wall time names: a start takes the first, an end the last. */
export type Edge = "start" | "end";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zone's canonical name, or null when Intl does not know it. */
export function canonicalTimeZone(zone: string): string | null {
  if (!zone || zone.length > 64) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const isTimeZone = (zone: string) => canonicalTimeZone(zone) !== null;

/** What the wall clock in `zone` shows at `instant` (seconds dropped). */
export function wallTimeAt(instant: number, zone: string): WallTime {
  // "12/7/2026, 07:05:00" (en-US, h23): parsing the string is about twice as fast as formatToParts.
  const m = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+)/.exec(formatterFor(zone).format(new Date(instant)));
  if (!m) throw new Error(`unexpected date format for ${zone}`);
  return { year: +m[3]!, month: +m[1]!, day: +m[2]!, hour: +m[4]!, minute: +m[5]! };
}

// Offsets asked for again and again (every schedule at "now", a layer's anchor) are remembered; the map is
// emptied when it grows, so it never holds more than a bounded number of answers.
const offsets = new Map<string, number>();
const OFFSET_CACHE_SIZE = 100_000;

/** Milliseconds the zone is ahead of UTC at `instant`. */
export function offsetAt(instant: number, zone: string): number {
  const floored = Math.floor(instant / MINUTE) * MINUTE;
  const key = `${zone}@${floored}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = wallAsUtc(wallTimeAt(floored, zone)) - floored;
    if (offsets.size >= OFFSET_CACHE_SIZE) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The wall time read as if it were UTC: plain calendar arithmetic, no zone. */
export const wallAsUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);

export function wallFromUtc(ms: number): WallTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

/** Calendar arithmetic on the wall clock: 09:00 plus one day is 09:00, whatever the zone does overnight. */
export function addToWall(w: WallTime, amount: number, unit: "minutes" | "hours" | "days"): WallTime {
  if (unit === "days") {
    const d = new Date(Date.UTC(w.year, w.month - 1, w.day + amount));
    return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }
  return wallFromUtc(wallAsUtc(w) + amount * (unit === "hours" ? HOUR : MINUTE));
}

const sameWall = (a: WallTime, b: WallTime) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/**
 * The instant a wall time names in `zone`. Ambiguous (a clock set back): the first instance for a start,
 * the last for an end. Skipped (a clock set forward): the first instant after the gap, for both.
 */
export function instantOf(w: WallTime, zone: string, edge: Edge): number {
  const naive = wallAsUtc(w);
  const before = offsetAt(naive - DAY, zone);
  const after = offsetAt(naive + DAY, zone);
  // No change of offset within a day either side (nearly always): the one reading.
  if (before === after) return naive - before;
  // Every offset the zone uses within a day either side; real zones change at most once or twice a day.
  const candidates = new Set([before, offsetAt(naive, zone), after]);
  const matches = [...candidates]
    .map((offset) => naive - offset)
    .filter((instant) => sameWall(wallTimeAt(instant, zone), w))
    .sort((a, b) => a - b);
  if (matches.length > 0) return edge === "start" ? matches[0]! : matches[matches.length - 1]!;
  return firstInstantAfterGap(naive, zone);
}

/** The wall time fell in a gap: find the transition (to the minute) between the two readings of it. */
function firstInstantAfterGap(naive: number, zone: string): number {
  const before = offsetAt(naive - DAY, zone);
  const after = offsetAt(naive + DAY, zone);
  let lo = naive - Math.max(before, after) - HOUR; // still on the old offset
  let hi = naive - Math.min(before, after) + HOUR; // already on the new one
  const oldOffset = offsetAt(lo, zone);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
    if (offsetAt(mid, zone) === oldOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** "2026-03-08T09:00" (local, no zone) -> WallTime; null when it is not one. */
export function parseLocalDateTime(text: string): WallTime | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::00)?$/.exec(text);
  if (!m) return null;
  const w = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]! };
  return sameWall(wallFromUtc(wallAsUtc(w)), w) ? w : null;
}

export const formatLocalDateTime = (w: WallTime) =>
  `${String(w.year).padStart(4, "0")}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
const pad = (n: number) => String(n).padStart(2, "0");

/** Day of the week of a wall date: 0 = Monday … 6 = Sunday (ISO order). */
export const weekdayOf = (w: WallTime) => (new Date(wallAsUtc(w)).getUTCDay() + 6) % 7;
