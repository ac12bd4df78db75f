// The fast on-call functions (remembered zone offsets, layers parsed once, handoffs and windows worked out
// once per answer) against the implementation they replaced, kept here as the reference: it reads every
// offset from Intl and re-evaluates every layer at every candidate instant. Same answers, to the
// millisecond, over random schedules with restrictions and overrides in zones with DST (and odd ones).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { finalSegments, onCallAt, onCallUntil, type Layer, type Schedule } from "./on-call-at";
import { instantOf, offsetAt, parseLocalDateTime, wallTimeAt, type Edge, type WallTime } from "./zoned-time";

// ---- The reference: lib/oncall/zoned-time.ts and on-call-at.ts as they were before (Intl at every step).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (zone: string) => {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
};

function refWallTimeAt(instant: number, zone: string): WallTime {
  const m = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+)/.exec(formatterFor(zone).format(new Date(instant)))!;
  return { year: +m[3]!, month: +m[1]!, day: +m[2]!, hour: +m[4]!, minute: +m[5]! };
}
const refWallAsUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
const refOffsets = new Map<string, number>(); // the old per-minute memo, as it was
function refOffsetAt(instant: number, zone: string): number {
  const floored = Math.floor(instant / MINUTE) * MINUTE;
  const key = `${zone}@${floored}`;
  let offset = refOffsets.get(key);
  if (offset === undefined) {
    offset = refWallAsUtc(refWallTimeAt(floored, zone)) - floored;
    refOffsets.set(key, offset);
  }
  return offset;
}
function refWallFromUtc(ms: number): WallTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}
function refAddToWall(w: WallTime, amount: number, unit: "hours" | "days"): WallTime {
  if (unit === "days") {
    const d = new Date(Date.UTC(w.year, w.month - 1, w.day + amount));
    return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }
  return refWallFromUtc(refWallAsUtc(w) + amount * HOUR);
}
const sameWall = (a: WallTime, b: WallTime) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

function refInstantOf(w: WallTime, zone: string, edge: Edge): number {
  const naive = refWallAsUtc(w);
  const before = refOffsetAt(naive - DAY, zone);
  const after = refOffsetAt(naive + DAY, zone);
  if (before === after) return naive - before;
  const matches = [...new Set([before, refOffsetAt(naive, zone), after])]
    .map((offset) => naive - offset)
    .filter((instant) => sameWall(refWallTimeAt(instant, zone), w))
    .sort((a, b) => a - b);
  if (matches.length > 0) return edge === "start" ? matches[0]! : matches[matches.length - 1]!;
  let lo = naive - Math.max(before, after) - HOUR;
  let hi = naive - Math.min(before, after) + HOUR;
  const oldOffset = refOffsetAt(lo, zone);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
    if (refOffsetAt(mid, zone) === oldOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

const refHandoffAt = (layer: Layer, anchor: WallTime, k: number, zone: string) => {
  const n = layer.interval.count * k;
  const wall =
    layer.interval.unit === "hours"
      ? refAddToWall(anchor, n, "hours")
      : refAddToWall(anchor, layer.interval.unit === "weeks" ? 7 * n : n, "days");
  return refInstantOf(wall, zone, "start");
};
const unitHours = { hours: 1, days: 24, weeks: 168 };
function refShiftIndexAt(layer: Layer, anchor: WallTime, zone: string, t: number): number | null {
  const first = refHandoffAt(layer, anchor, 0, zone);
  if (t < first) return null;
  let k = Math.floor((t - first) / (layer.interval.count * unitHours[layer.interval.unit] * HOUR));
  while (refHandoffAt(layer, anchor, k + 1, zone) <= t) k++;
  while (k > 0 && refHandoffAt(layer, anchor, k, zone) > t) k--;
  return k;
}
const atClock = (date: WallTime, clock: string): WallTime => ({
  ...date,
  hour: +clock.slice(0, 2),
  minute: +clock.slice(3, 5),
});
function refWindowsStartingOn(layer: Layer, date: WallTime, zone: string): [number, number][] {
  const weekday = (new Date(refWallAsUtc(date)).getUTCDay() + 6) % 7;
  return layer.restrictions
    .filter((r) => r.days.includes(weekday))
    .map((r) => {
      const endDate = r.end <= r.start ? refAddToWall(date, 1, "days") : date;
      return [refInstantOf(atClock(date, r.start), zone, "start"), refInstantOf(atClock(endDate, r.end), zone, "end")];
    });
}
const midnightAt = (t: number, zone: string) => ({ ...refWallTimeAt(t, zone), hour: 0, minute: 0 });
function refLayerOnCallAt(layer: Layer, zone: string, t: number): string | null {
  if (layer.participants.length === 0) return null;
  const anchor = parseLocalDateTime(layer.anchor)!;
  const k = refShiftIndexAt(layer, anchor, zone, t);
  if (k === null) return null;
  const today = midnightAt(t, zone);
  const inside =
    layer.restrictions.length === 0 ||
    [refAddToWall(today, -1, "days"), today].some((date) =>
      refWindowsStartingOn(layer, date, zone).some(([start, end]) => start <= t && t < end),
    );
  return inside ? layer.participants[k % layer.participants.length]! : null;
}
function refOnCallAt(schedule: Schedule, t: number): string[] {
  let onCall: string[] = [];
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const person = refLayerOnCallAt(schedule.layers[i]!, schedule.timeZone, t);
    if (person) {
      onCall = [person];
      break;
    }
  }
  for (const o of schedule.overrides) {
    if (o.start.getTime() > t || t >= o.end.getTime()) continue;
    if (o.kind === "add") onCall = [...onCall, o.userId];
    else if (o.replaces === null) onCall = [o.userId];
    else if (onCall.includes(o.replaces)) onCall = onCall.map((u) => (u === o.replaces ? o.userId : u));
  }
  return [...new Set(onCall)];
}
function refNextWindowEdgeAfter(layer: Layer, zone: string, t: number, limit: number): number {
  let earliest = limit;
  let date = refAddToWall(midnightAt(t, zone), -1, "days");
  while (refInstantOf(date, zone, "start") < earliest) {
    for (const edge of refWindowsStartingOn(layer, date, zone).flat()) {
      if (edge > t && edge < earliest) earliest = edge;
    }
    date = refAddToWall(date, 1, "days");
  }
  return earliest;
}
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((u) => b.includes(u));
function refOnCallUntil(schedule: Schedule, at: number, horizonMs = 60 * DAY) {
  const zone = schedule.timeZone;
  const userIds = refOnCallAt(schedule, at);
  const limit = at + horizonMs;
  const sources = schedule.layers.flatMap((layer) => {
    const anchor = parseLocalDateTime(layer.anchor)!;
    return [
      (t: number) => refHandoffAt(layer, anchor, (refShiftIndexAt(layer, anchor, zone, t) ?? -1) + 1, zone),
      ...(layer.restrictions.length > 0 ? [(t: number) => refNextWindowEdgeAfter(layer, zone, t, limit)] : []),
    ];
  });
  const edges = schedule.overrides.flatMap((o) => [o.start.getTime(), o.end.getTime()]);
  sources.push((t) => edges.reduce((earliest, edge) => (edge > t && edge < earliest ? edge : earliest), limit));
  const next = sources.map((source) => source(at));
  for (;;) {
    const t = Math.min(limit, ...next);
    if (t >= limit) return { userIds, until: null };
    if (!sameSet(refOnCallAt(schedule, t), userIds)) return { userIds, until: new Date(t) };
    sources.forEach((source, i) => {
      if (next[i]! <= t) next[i] = source(t);
    });
  }
}

// ---- Random schedules.

// The three test zones of docs/oncall.md, and some with odd rules: Santiago falls back from midnight,
// Casablanca leaves DST for Ramadan, Chatham has a 45-minute offset, Kolkata and UTC never change.
const zones = [
  "America/New_York",
  "Europe/London",
  "Australia/Lord_Howe",
  "America/Santiago",
  "Africa/Casablanca",
  "Pacific/Chatham",
  "Asia/Kolkata",
  "UTC",
];
const people = ["ann", "ben", "cat", "dom"];
const START = Date.UTC(2025, 9, 1);
const pad = (n: number) => String(n).padStart(2, "0");
const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 1, 15, 30, 45, 59))
  .map(([h, m]) => `${pad(h)}:${pad(m)}`);
// Instants from October 2025 to early 2027: to the quarter hour (to meet the handoffs and DST changes
// head on) or to the millisecond.
const instant = fc.oneof(
  fc.integer({ min: 0, max: 500 * 96 }).map((q) => START + q * 900_000),
  fc.integer({ min: 0, max: 500 * DAY }).map((ms) => START + ms),
);
const randomLayer = fc.record({
  id: fc.constantFrom("l1", "l2"),
  name: fc.constant("layer"),
  anchor: fc.tuple(fc.integer({ min: 0, max: 450 }), clock).map(([day, time]) => {
    const date = new Date(START + day * DAY).toISOString().slice(0, 10);
    return `${date}T${time}`;
  }),
  interval: fc.record({
    unit: fc.constantFrom("hours" as const, "days" as const, "weeks" as const),
    count: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 1000 })),
  }),
  participants: fc.subarray(people),
  restrictions: fc.array(fc.record({ days: fc.subarray([0, 1, 2, 3, 4, 5, 6]), start: clock, end: clock }), {
    maxLength: 3,
  }),
});
const randomOverride = fc
  .record({
    id: fc.constant("o"),
    start: instant,
    minutes: fc.integer({ min: 1, max: 96 * 60 }),
    userId: fc.constantFrom(...people),
    kind: fc.constantFrom("replace" as const, "add" as const),
    replaces: fc.option(fc.constantFrom(...people)),
  })
  .map(({ start, minutes, ...o }) => ({ ...o, start: new Date(start), end: new Date(start + minutes * MINUTE) }));
const randomSchedule = fc.record({
  timeZone: fc.constantFrom(...zones),
  layers: fc.array(randomLayer, { maxLength: 4 }),
  overrides: fc.array(randomOverride, { maxLength: 8 }),
});
const horizon = fc.option(fc.integer({ min: 1, max: 90 * 96 }).map((q) => q * 900_000));

// The reference reads Intl at every step: seconds on a busy machine.
describe("the fast on-call functions answer as the reference does", { timeout: 60_000 }, () => {
  it("onCallUntil: who and until when", () => {
    fc.assert(
      fc.property(randomSchedule, instant, horizon, (s, when, h) => {
        expect(onCallUntil(s, new Date(when), h ?? undefined)).toEqual(refOnCallUntil(s, when, h ?? undefined));
      }),
      { seed: 2026, numRuns: 400 },
    );
  });

  it("onCallAt, and the final segments over a few days", () => {
    fc.assert(
      fc.property(randomSchedule, instant, fc.integer({ min: 1, max: 4 * 96 }), (s, when, quarters) => {
        expect(onCallAt(s, new Date(when))).toEqual(refOnCallAt(s, when));
        const to = when + quarters * 900_000;
        const segments = finalSegments(s, new Date(when), new Date(to));
        // Each segment says who the reference has on call at its start, and changes at its end.
        expect(segments[0]!.start.getTime()).toBe(when);
        expect(segments.at(-1)!.end.getTime()).toBe(to);
        for (const segment of segments) {
          expect(segment.userIds).toEqual(refOnCallAt(s, segment.start.getTime()));
          expect(segment.userIds).toEqual(refOnCallAt(s, segment.end.getTime() - 1));
        }
      }),
      { seed: 2027, numRuns: 300 },
    );
  });
});

describe("zone offsets remembered by the day read as Intl does", { timeout: 60_000 }, () => {
  // Back to 1850 for local mean times with seconds in their offsets (Amsterdam +00:19:32 until 1937,
  // Monrovia -00:44:30 until 1972) and changes that are not on the minute.
  const oddZones = [...zones, "Europe/Amsterdam", "Africa/Monrovia", "Asia/Kathmandu", "America/St_Johns"];
  const anyInstant = fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2060, 0, 1) });

  it("wallTimeAt and offsetAt", () => {
    fc.assert(
      fc.property(fc.constantFrom(...oddZones), anyInstant, (zone, t) => {
        expect(wallTimeAt(t, zone)).toEqual(refWallTimeAt(t, zone));
        expect(offsetAt(t, zone)).toBe(refOffsetAt(t, zone));
      }),
      { seed: 1850, numRuns: 3000 },
    );
  });

  it("instantOf, at every minute of the DST nights too", () => {
    const wall = fc
      .tuple(anyInstant, fc.boolean())
      .map(([t, atNight]) => new Date(atNight ? t - (t % DAY) + (t % (4 * HOUR)) : t).toISOString().slice(0, 16))
      .map((text) => parseLocalDateTime(text)!);
    fc.assert(
      fc.property(
        fc.constantFrom(...oddZones),
        wall,
        fc.constantFrom("start" as const, "end" as const),
        (zone, w, edge) => {
          expect(instantOf(w, zone, edge)).toBe(refInstantOf(w, zone, edge));
        },
      ),
      { seed: 1851, numRuns: 3000 },
    );
  });

  it("each zone's changes in 2026, minute by minute", () => {
    for (const zone of [
      "America/New_York",
      "Europe/London",
      "Australia/Lord_Howe",
      "America/Santiago",
      "Africa/Casablanca",
    ]) {
      // The nights around each change: every minute from a day before to a day after.
      const changes: number[] = [];
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += DAY) {
        if (refOffsetAt(t, zone) !== refOffsetAt(t + DAY, zone)) changes.push(t);
      }
      for (const day of changes) {
        for (let t = day - DAY; t < day + 2 * DAY; t += MINUTE) {
          expect(offsetAt(t, zone), `${zone} ${new Date(t).toISOString()}`).toBe(refOffsetAt(t, zone));
        }
      }
    }
  });
});
