// Who is on call: ONE pure function of a schedule (its zone, layers and overrides) and an instant, and
// the final shifts over a range built from it. Every view, the API, iCal, CSV, Slack and the escalation
// engine ask these two; nothing else decides who is on call. The DST rules are in docs/oncall.md.
import type { StoredRestriction } from "@/db/schema";
import { parseLocalDateTime, wallAsUtc, zoneClock, type ZoneClock } from "./zoned-time";

export const intervalUnits = ["hours", "days", "weeks"] as const;
export type IntervalUnit = (typeof intervalUnits)[number];

/** A window when a layer may put someone on call: weekdays (0 = Monday) and a wall-clock time span. */
export type Restriction = StoredRestriction;

export interface Layer {
  id: string;
  name: string;
  /** Local date-time in the schedule's zone ("2026-03-02T09:00") when participant 0's first shift starts. */
  anchor: string;
  interval: { unit: IntervalUnit; count: number };
  /** User ids in rotation order. */
  participants: string[];
  /** Empty: the layer covers all day, every day. */
  restrictions: Restriction[];
}

/** `replace` with no `replaces`: whoever is on call is replaced. Later overrides stack on earlier ones. */
export interface Override {
  id: string;
  start: Date;
  end: Date;
  userId: string;
  kind: "replace" | "add";
  replaces: string | null;
}

export interface Schedule {
  timeZone: string;
  /** Bottom to top: a higher (later) layer wins wherever it has someone. */
  layers: Layer[];
  /** In the order they were made: a later one applies on top of the earlier ones, so it can override them. */
  overrides: Override[];
}

export interface Segment {
  start: Date;
  end: Date;
  /** Empty: a gap, nobody is on call. */
  userIds: string[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const unitMs: Record<IntervalUnit, number> = { hours: HOUR, days: DAY, weeks: 7 * DAY };

// Inside these functions a wall time is a number, wallAsUtc(w): adding a day is adding 24 h of it, and no
// Date or WallTime is built on the way. What each asks of the zone goes to its ZoneClock, which remembers.

// Anchors and clocks are parsed once per text: every answer asks again for the same few.
const parsed = new Map<string, number>();
function remembered(text: string, parse: (text: string) => number): number {
  let value = parsed.get(text);
  if (value === undefined) {
    value = parse(text);
    if (parsed.size >= 10_000) parsed.clear();
    parsed.set(text, value);
  }
  return value;
}

const parseClock = (text: string) =>
  remembered(text, () => {
    const m = /^(\d{2}):(\d{2})$/.exec(text);
    if (!m) throw new Error(`${text} is not HH:MM`);
    return +m[1]! * HOUR + +m[2]! * 60_000;
  });

/** The layer's anchor as wallAsUtc. */
const parseAnchor = (layer: Layer) =>
  remembered(layer.anchor, () => {
    const anchor = parseLocalDateTime(layer.anchor);
    if (!anchor) throw new Error(`layer ${layer.id}: anchor ${layer.anchor} is not a local date-time`);
    return wallAsUtc(anchor);
  });

interface Window {
  days: readonly number[];
  start: number;
  end: number;
  crossesMidnight: boolean;
}

/**
 * A layer made ready to be asked many times over one answer: its anchor and windows parsed, and its
 * handoff instants and each date's windows remembered (they depend on nothing but the layer and zone).
 */
class LayerClock {
  private readonly anchor: number;
  private readonly step: number;
  private readonly windows: Window[];
  private readonly handoffs = new Map<number, number>();
  private readonly windowsByDate = new Map<number, number[]>();

  constructor(
    readonly layer: Layer,
    private readonly clock: ZoneClock,
  ) {
    this.anchor = parseAnchor(layer);
    this.step = layer.interval.count * unitMs[layer.interval.unit];
    this.windows = layer.restrictions.map((r) => ({
      days: r.days,
      start: parseClock(r.start),
      end: parseClock(r.end),
      crossesMidnight: r.end <= r.start,
    }));
  }

  get restricted() {
    return this.windows.length > 0;
  }

  /**
   * Handoff k: the start of shift k, one instant (an ambiguous one is its first instance). Handoffs keep
   * their wall-clock time of day whatever the zone does.
   */
  handoff(k: number): number {
    let t = this.handoffs.get(k);
    if (t === undefined) {
      t = this.clock.instantOf(this.anchor + k * this.step, "start");
      this.handoffs.set(k, t);
    }
    return t;
  }

  /** The shift index at instant t (the last handoff at or before t), or null before the anchor. */
  shiftIndexAt(t: number): number | null {
    const first = this.handoff(0);
    if (t < first) return null;
    let k = Math.floor((t - first) / this.step);
    while (this.handoff(k + 1) <= t) k++;
    while (k > 0 && this.handoff(k) > t) k--;
    return k;
  }

  /** The first handoff after t: shift 0's start before the anchor, else the next shift's. */
  nextHandoffAfter(t: number): number {
    const k = this.shiftIndexAt(t);
    return this.handoff(k === null ? 0 : k + 1);
  }

  /** The restriction windows, as instants [start, end, start, end, …], that begin on the wall date `date`. */
  windowsStartingOn(date: number): number[] {
    let edges = this.windowsByDate.get(date);
    if (!edges) {
      edges = [];
      const weekday = (((Math.floor(date / DAY) + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
      for (const w of this.windows) {
        if (!w.days.includes(weekday)) continue;
        const endDate = w.crossesMidnight ? date + DAY : date;
        edges.push(this.clock.instantOf(date + w.start, "start"), this.clock.instantOf(endDate + w.end, "end"));
      }
      this.windowsByDate.set(date, edges);
    }
    return edges;
  }

  /** The wall date (its midnight, as wallAsUtc) at instant t. */
  dateAt(t: number): number {
    return Math.floor(this.clock.wallAt(t) / DAY) * DAY;
  }

  insideRestrictions(t: number): boolean {
    if (this.windows.length === 0) return true;
    const today = this.dateAt(t);
    // A window that began yesterday may run past midnight into today.
    for (const date of [today - DAY, today]) {
      const edges = this.windowsStartingOn(date);
      for (let i = 0; i < edges.length; i += 2) if (edges[i]! <= t && t < edges[i + 1]!) return true;
    }
    return false;
  }

  /** Who the layer puts on call at t: nobody before its anchor, outside its restrictions, or without participants. */
  onCallAt(t: number): string | null {
    const participants = this.layer.participants;
    if (participants.length === 0) return null;
    const k = this.shiftIndexAt(t);
    if (k === null || !this.insideRestrictions(t)) return null;
    return participants[k % participants.length]!;
  }

  /** The first restriction-window edge (a start or an end) after t and before `limit`, or `limit`. */
  nextWindowEdgeAfter(t: number, limit: number): number {
    let earliest = limit;
    // A window that began yesterday may still end after t; a later date's windows start after its midnight.
    for (let date = this.dateAt(t) - DAY; this.clock.instantOf(date, "start") < earliest; date += DAY) {
      for (const edge of this.windowsStartingOn(date)) if (edge > t && edge < earliest) earliest = edge;
    }
    return earliest;
  }
}

/** A schedule made ready to be asked many times: each layer's clock made when first needed. */
class ScheduleClock {
  readonly clock: ZoneClock;
  private readonly layers: (LayerClock | undefined)[];

  constructor(readonly schedule: Schedule) {
    this.clock = zoneClock(schedule.timeZone);
    this.layers = schedule.layers.map(() => undefined);
  }

  layer(i: number): LayerClock {
    return (this.layers[i] ??= new LayerClock(this.schedule.layers[i]!, this.clock));
  }

  /** Who is on call at t: the highest layer with someone, then every override in force, in order. */
  onCallAt(t: number): string[] {
    const { layers, overrides } = this.schedule;
    let onCall: string[] = [];
    for (let i = layers.length - 1; i >= 0; i--) {
      // A layer without participants has nobody, whatever its anchor says (not even parsed here).
      const person = layers[i]!.participants.length === 0 ? null : this.layer(i).onCallAt(t);
      if (person) {
        onCall = [person];
        break;
      }
    }
    for (const o of overrides) {
      if (o.start.getTime() > t || t >= o.end.getTime()) continue;
      if (o.kind === "add") onCall = [...onCall, o.userId];
      else if (o.replaces === null) onCall = [o.userId];
      else if (onCall.includes(o.replaces)) onCall = onCall.map((u) => (u === o.replaces ? o.userId : u));
    }
    return onCall.length > 1 ? [...new Set(onCall)] : onCall;
  }
}

/** Who a layer puts on call at t: nobody before its anchor, outside its restrictions, or without participants. */
export function layerOnCallAt(layer: Layer, zone: string, t: number): string | null {
  if (layer.participants.length === 0) return null;
  return new LayerClock(layer, zoneClock(zone)).onCallAt(t);
}

/** Who is on call at instant `at`: the highest layer with someone, then every override in force, in order. */
export const onCallAt = (schedule: Schedule, at: Date): string[] => new ScheduleClock(schedule).onCallAt(at.getTime());

/** Every instant in [from, to) where the answer of onCallAt may change. */
function changePoints(schedule: ScheduleClock, from: number, to: number): number[] {
  const points = new Set<number>([from]);
  const add = (t: number) => {
    if (t > from && t < to) points.add(t);
  };
  schedule.schedule.layers.forEach((_, i) => {
    const layer = schedule.layer(i);
    for (let k = layer.shiftIndexAt(from) ?? 0; ; k++) {
      const t = layer.handoff(k);
      if (t >= to) break;
      add(t);
    }
    if (!layer.restricted) return;
    for (let date = layer.dateAt(from) - DAY; schedule.clock.instantOf(date, "start") < to; date += DAY) {
      layer.windowsStartingOn(date).forEach(add);
    }
  });
  for (const o of schedule.schedule.overrides) {
    add(o.start.getTime());
    add(o.end.getTime());
  }
  return [...points].sort((a, b) => a - b);
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((u) => b.includes(u));

/** The final schedule over [from, to): consecutive segments, each with who is on call (empty = a gap). */
export function finalSegments(schedule: Schedule, from: Date, to: Date): Segment[] {
  const end = to.getTime();
  const prepared = new ScheduleClock(schedule);
  const points = changePoints(prepared, from.getTime(), end);
  const segments: Segment[] = [];
  points.forEach((t, i) => {
    const userIds = prepared.onCallAt(t);
    const segmentEnd = new Date(points[i + 1] ?? end);
    const last = segments[segments.length - 1];
    if (last && sameSet(last.userIds, userIds)) last.end = segmentEnd;
    else segments.push({ start: new Date(t), end: segmentEnd, userIds });
  });
  return segments;
}

export interface Shift {
  userId: string;
  start: Date;
  end: Date;
}

/** Each person's shifts over [from, to) in the final schedule, ordered by start (for iCal, CSV, previews). */
export function finalShifts(schedule: Schedule, from: Date, to: Date): Shift[] {
  const open = new Map<string, Shift>();
  const shifts: Shift[] = [];
  for (const segment of finalSegments(schedule, from, to)) {
    for (const [userId, shift] of open) {
      if (!segment.userIds.includes(userId)) {
        shifts.push(shift);
        open.delete(userId);
      }
    }
    for (const userId of segment.userIds) {
      const shift = open.get(userId);
      if (shift) shift.end = segment.end;
      else open.set(userId, { userId, start: segment.start, end: segment.end });
    }
  }
  shifts.push(...open.values());
  return shifts.sort((a, b) => a.start.getTime() - b.start.getTime() || a.userId.localeCompare(b.userId));
}

/** The gaps (nobody on call) in [from, to). */
export const scheduleGaps = (schedule: Schedule, from: Date, to: Date) =>
  finalSegments(schedule, from, to).filter((s) => s.userIds.length === 0);

/** The instants at which overrides start or end, sorted (a typed array sorts numbers without a callback). */
function overrideEdges(overrides: Override[]): Float64Array {
  const edges = new Float64Array(overrides.length * 2);
  overrides.forEach((o, i) => {
    edges[2 * i] = o.start.getTime();
    edges[2 * i + 1] = o.end.getTime();
  });
  return edges.sort();
}

/** The first of the sorted `edges` after t, or Infinity. */
function firstAfter(edges: Float64Array, t: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo < edges.length ? edges[lo]! : Infinity;
}

/** Each source of change in a schedule (a layer's handoffs, its windows, the overrides): its first instant after t. */
function changeSources(schedule: ScheduleClock, limit: number): ((t: number) => number)[] {
  const sources = schedule.schedule.layers.flatMap((_, i) => {
    const layer = schedule.layer(i);
    return [
      (t: number) => layer.nextHandoffAfter(t),
      ...(layer.restricted ? [(t: number) => layer.nextWindowEdgeAfter(t, limit)] : []),
    ];
  });
  const edges = overrideEdges(schedule.schedule.overrides);
  sources.push((t) => Math.min(limit, firstAfter(edges, t)));
  return sources;
}

/** How far ahead "until when" looks; overrides starting later cannot change the answer. */
export const ON_CALL_HORIZON_MS = 60 * 86_400_000;

/**
 * Who is on call at `at` and until when: the first instant before `at + horizon` where onCallAt's answer
 * differs, or null. Only the instants where some layer hands off, a restriction window opens or closes or
 * an override starts or ends can change the answer, so it steps from one such instant to the next. The
 * layers' handoffs and windows are worked out once each and remembered for the whole answer.
 */
export function onCallUntil(
  schedule: Schedule,
  at: Date,
  horizonMs = ON_CALL_HORIZON_MS,
): { userIds: string[]; until: Date | null } {
  const prepared = new ScheduleClock(schedule);
  const userIds = prepared.onCallAt(at.getTime());
  const limit = at.getTime() + horizonMs;
  const sources = changeSources(prepared, limit);
  // Each source's next instant is remembered until it is passed: most steps move only one source on.
  const next = sources.map((source) => source(at.getTime()));
  for (;;) {
    let t = limit;
    for (const n of next) if (n < t) t = n;
    if (t >= limit) return { userIds, until: null };
    if (!sameSet(prepared.onCallAt(t), userIds)) return { userIds, until: new Date(t) };
    sources.forEach((source, i) => {
      if (next[i]! <= t) next[i] = source(t);
    });
  }
}
