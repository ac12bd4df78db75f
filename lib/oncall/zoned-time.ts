// Wall-clock time in an IANA zone and the instants it names, with the DST rules of docs/oncall.md: a wall
// time in a skipped hour means the first instant after the gap; an ambiguous wall time means its first
// instance when it starts something and its last when it ends something. The zone rules are Node's ICU
// (Intl), never a table of our own: what Intl answers is only remembered, a UTC day at a time (ZoneClock).

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

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
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

/** Milliseconds the zone is ahead of UTC at `instant`, to the second, straight from Intl (a few µs). */
function offsetFromIntl(instant: number, zone: string): number {
  // "12/7/2026, 07:05:09" (en-US, h23): parsing the string is about twice as fast as formatToParts.
  const second = Math.floor(instant / SECOND) * SECOND;
  const m = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)/.exec(formatterFor(zone).format(new Date(second)));
  if (!m) throw new Error(`unexpected date format for ${zone}`);
  // setUTCFullYear, unlike Date.UTC, leaves years below 100 alone.
  const wall = new Date(0);
  wall.setUTCFullYear(+m[3]!, +m[1]! - 1, +m[2]!);
  wall.setUTCHours(+m[4]!, +m[5]!, +m[6]!, 0);
  return wall.getTime() - second;
}

/** One UTC day of a zone: its offset before `switchAt` and from it on (the same when nothing changes). */
interface ZoneDay {
  before: number;
  switchAt: number;
  after: number;
}

// Outside these years the offsets are read from Intl every time (Intl's calendar has eras and odd years there).
const FAST_FROM = Date.UTC(1000, 0, 1);
const FAST_UNTIL = Date.UTC(9000, 0, 1);
const DAY_CACHE_SIZE = 100_000;

/**
 * A zone's offsets, learnt from Intl one UTC day at a time and remembered: the on-call functions ask for
 * thousands of offsets per answer and an Intl format costs a few microseconds. A day whose offsets at
 * its two ends agree has one offset throughout (as instantOf already assumes: no zone changes and changes
 * back within a day); one whose ends differ has its change found to the second. A day with more than one
 * change (none in today's rules) is marked and read from Intl at each instant, so answers never differ.
 */
class ZoneClock {
  private readonly days = new Map<number, ZoneDay | null>();

  constructor(readonly zone: string) {
    formatterFor(zone); // an unknown zone throws here, before it is remembered
  }

  /** Milliseconds the zone is ahead of UTC at `instant`, to the second. */
  exactOffset(instant: number): number {
    if (instant < FAST_FROM || instant >= FAST_UNTIL) return offsetFromIntl(instant, this.zone);
    const index = Math.floor(instant / DAY);
    let day = this.days.get(index);
    if (day === undefined) day = this.learn(index);
    if (day === null) return offsetFromIntl(instant, this.zone);
    return instant < day.switchAt ? day.before : day.after;
  }

  private learn(index: number): ZoneDay | null {
    const start = index * DAY;
    // A learnt neighbour already knows the offset at this day's start or end (its end or start).
    const before = this.days.get(index - 1)?.after ?? offsetFromIntl(start, this.zone);
    const after = this.days.get(index + 1)?.before ?? offsetFromIntl(start + DAY, this.zone);
    let day: ZoneDay | null = { before, switchAt: Infinity, after: before };
    if (before !== after) {
      let lo = start; // still `before`
      let hi = start + DAY; // no longer
      while (hi - lo > SECOND) {
        const mid = lo + Math.floor((hi - lo) / SECOND / 2) * SECOND;
        if (offsetFromIntl(mid, this.zone) === before) lo = mid;
        else hi = mid;
      }
      day = offsetFromIntl(hi, this.zone) === after ? { before, switchAt: hi, after } : null;
    }
    if (this.days.size >= DAY_CACHE_SIZE) this.days.clear();
    this.days.set(index, day);
    return day;
  }

  /** The wall clock at `instant` read as if it were UTC, to the minute: wallAsUtc(wallTimeAt(instant)). */
  wallAt(instant: number): number {
    return Math.floor((instant + this.exactOffset(instant)) / MINUTE) * MINUTE;
  }

  /** Milliseconds the zone is ahead of UTC at `instant` (floored to the minute), to the minute. */
  offsetAt(instant: number): number {
    const floored = Math.floor(instant / MINUTE) * MINUTE;
    return this.wallAt(floored) - floored;
  }

  /** instantOf for a wall time given as wallAsUtc(w). */
  instantOf(naive: number, edge: Edge): number {
    const before = this.offsetAt(naive - DAY);
    const after = this.offsetAt(naive + DAY);
    // No change of offset within a day either side (nearly always): the one reading.
    if (before === after) return naive - before;
    // Every offset the zone uses within a day either side; real zones change at most once or twice a day.
    const middle = this.offsetAt(naive);
    let first = Infinity;
    let last = -Infinity;
    for (const offset of [before, middle, after]) {
      const instant = naive - offset;
      if (this.wallAt(instant) !== naive) continue;
      first = Math.min(first, instant);
      last = Math.max(last, instant);
    }
    if (first !== Infinity) return edge === "start" ? first : last;
    return this.firstInstantAfterGap(naive, before, after);
  }

  /** The wall time fell in a gap: find the transition (to the minute) between the two readings of it. */
  private firstInstantAfterGap(naive: number, before: number, after: number): number {
    let lo = naive - Math.max(before, after) - HOUR; // still on the old offset
    let hi = naive - Math.min(before, after) + HOUR; // already on the new one
    const oldOffset = this.offsetAt(lo);
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
      if (this.offsetAt(mid) === oldOffset) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

const clocks = new Map<string, ZoneClock>();

/** The remembered offsets of `zone`: ask it for wall times and instants when asking many times. */
export function zoneClock(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new ZoneClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}
export type { ZoneClock };

/** What the wall clock in `zone` shows at `instant` (seconds dropped). */
export const wallTimeAt = (instant: number, zone: string): WallTime => wallFromUtc(zoneClock(zone).wallAt(instant));

/** Milliseconds the zone is ahead of UTC at `instant`. */
export const offsetAt = (instant: number, zone: string): number => zoneClock(zone).offsetAt(instant);

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
export const instantOf = (w: WallTime, zone: string, edge: Edge): number =>
  zoneClock(zone).instantOf(wallAsUtc(w), edge);

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
