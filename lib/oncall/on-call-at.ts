// Who is on call: ONE pure function of a schedule (its zone, layers and overrides) and an instant, and
// the final shifts over a range built from it. Every view, the API, iCal, CSV, Slack and the escalation
// engine ask these two; nothing else decides who is on call. The DST rules are in docs/oncall.md.
import type { StoredRestriction } from "@/db/schema";
import { addToWall, instantOf, parseLocalDateTime, wallTimeAt, weekdayOf, type WallTime } from "./zoned-time";

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

const unitHours: Record<IntervalUnit, number> = { hours: 1, days: 24, weeks: 168 };

function layerAnchor(layer: Layer): WallTime {
  const anchor = parseLocalDateTime(layer.anchor);
  if (!anchor) throw new Error(`layer ${layer.id}: anchor ${layer.anchor} is not a local date-time`);
  return anchor;
}

/** Wall-clock start of shift k: handoffs keep their time of day whatever the zone does. */
function handoffWall(layer: Layer, anchor: WallTime, k: number): WallTime {
  const n = layer.interval.count * k;
  if (layer.interval.unit === "hours") return addToWall(anchor, n, "hours");
  return addToWall(anchor, layer.interval.unit === "weeks" ? 7 * n : n, "days");
}

/** A handoff is one instant: the next shift's start, so an ambiguous one is its first instance. */
const handoffAt = (layer: Layer, anchor: WallTime, k: number, zone: string) =>
  instantOf(handoffWall(layer, anchor, k), zone, "start");

/** The shift index at instant t (the last handoff at or before t), or null before the anchor. */
function shiftIndexAt(layer: Layer, anchor: WallTime, zone: string, t: number): number | null {
  const first = handoffAt(layer, anchor, 0, zone);
  if (t < first) return null;
  const nominal = layer.interval.count * unitHours[layer.interval.unit] * 3_600_000;
  let k = Math.floor((t - first) / nominal);
  while (handoffAt(layer, anchor, k + 1, zone) <= t) k++;
  while (k > 0 && handoffAt(layer, anchor, k, zone) > t) k--;
  return k;
}

function parseClock(text: string): { hour: number; minute: number } {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new Error(`${text} is not HH:MM`);
  return { hour: +m[1]!, minute: +m[2]! };
}

const atClock = (date: WallTime, clock: string): WallTime => ({ ...date, ...parseClock(clock) });

/** The restriction windows, as instants, that begin on the wall date `date`. */
function windowsStartingOn(layer: Layer, date: WallTime, zone: string): [number, number][] {
  const weekday = weekdayOf(date);
  return layer.restrictions
    .filter((r) => r.days.includes(weekday))
    .map((r) => {
      const crossesMidnight = r.end <= r.start;
      const endDate = crossesMidnight ? addToWall(date, 1, "days") : date;
      return [instantOf(atClock(date, r.start), zone, "start"), instantOf(atClock(endDate, r.end), zone, "end")];
    });
}

function insideRestrictions(layer: Layer, zone: string, t: number): boolean {
  if (layer.restrictions.length === 0) return true;
  const today = { ...wallTimeAt(t, zone), hour: 0, minute: 0 };
  // A window that began yesterday may run past midnight into today.
  return [addToWall(today, -1, "days"), today].some((date) =>
    windowsStartingOn(layer, date, zone).some(([start, end]) => start <= t && t < end),
  );
}

/** Who a layer puts on call at t: nobody before its anchor, outside its restrictions, or without participants. */
export function layerOnCallAt(layer: Layer, zone: string, t: number): string | null {
  if (layer.participants.length === 0) return null;
  const anchor = layerAnchor(layer);
  const k = shiftIndexAt(layer, anchor, zone, t);
  if (k === null || !insideRestrictions(layer, zone, t)) return null;
  return layer.participants[k % layer.participants.length]!;
}

/** Who is on call at instant `at`: the highest layer with someone, then every override in force, in order. */
export function onCallAt(schedule: Schedule, at: Date): string[] {
  const t = at.getTime();
  let onCall: string[] = [];
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const person = layerOnCallAt(schedule.layers[i]!, schedule.timeZone, t);
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

/** Every instant in [from, to) where the answer of onCallAt may change. */
function changePoints(schedule: Schedule, from: number, to: number): number[] {
  const zone = schedule.timeZone;
  const points = new Set<number>([from]);
  const add = (t: number) => {
    if (t > from && t < to) points.add(t);
  };
  for (const layer of schedule.layers) {
    const anchor = layerAnchor(layer);
    const firstK = shiftIndexAt(layer, anchor, zone, from) ?? 0;
    for (let k = firstK; ; k++) {
      const t = handoffAt(layer, anchor, k, zone);
      if (t >= to) break;
      add(t);
    }
    if (layer.restrictions.length === 0) continue;
    let date = addToWall({ ...wallTimeAt(from, zone), hour: 0, minute: 0 }, -1, "days");
    while (instantOf(date, zone, "start") < to) {
      for (const [start, end] of windowsStartingOn(layer, date, zone)) {
        add(start);
        add(end);
      }
      date = addToWall(date, 1, "days");
    }
  }
  for (const o of schedule.overrides) {
    add(o.start.getTime());
    add(o.end.getTime());
  }
  return [...points].sort((a, b) => a - b);
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((u) => b.includes(u));

/** The final schedule over [from, to): consecutive segments, each with who is on call (empty = a gap). */
export function finalSegments(schedule: Schedule, from: Date, to: Date): Segment[] {
  const end = to.getTime();
  const points = changePoints(schedule, from.getTime(), end);
  const segments: Segment[] = [];
  points.forEach((t, i) => {
    const userIds = onCallAt(schedule, new Date(t));
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

/** The first handoff of a layer after t: shift 0's start before the anchor, else the next shift's. */
function nextHandoffAfter(layer: Layer, zone: string, t: number): number {
  const anchor = layerAnchor(layer);
  const k = shiftIndexAt(layer, anchor, zone, t);
  return handoffAt(layer, anchor, k === null ? 0 : k + 1, zone);
}

/** The first restriction-window edge (a start or an end) after t and before `limit`, or `limit`. */
function nextWindowEdgeAfter(layer: Layer, zone: string, t: number, limit: number): number {
  let earliest = limit;
  // A window that began yesterday may still end after t; a later date's windows start after its midnight.
  let date = addToWall({ ...wallTimeAt(t, zone), hour: 0, minute: 0 }, -1, "days");
  while (instantOf(date, zone, "start") < earliest) {
    for (const edge of windowsStartingOn(layer, date, zone).flat()) {
      if (edge > t && edge < earliest) earliest = edge;
    }
    date = addToWall(date, 1, "days");
  }
  return earliest;
}

/** Each source of change in a schedule (a layer's handoffs, its windows, the overrides): its first instant after t. */
function changeSources(schedule: Schedule, limit: number): ((t: number) => number)[] {
  const zone = schedule.timeZone;
  const sources = schedule.layers.flatMap((layer) => [
    (t: number) => nextHandoffAfter(layer, zone, t),
    ...(layer.restrictions.length > 0 ? [(t: number) => nextWindowEdgeAfter(layer, zone, t, limit)] : []),
  ]);
  const overrideEdges = schedule.overrides.flatMap((o) => [o.start.getTime(), o.end.getTime()]);
  sources.push((t) => overrideEdges.reduce((earliest, edge) => (edge > t && edge < earliest ? edge : earliest), limit));
  return sources;
}

/**
 * Who is on call at `at` and until when: the first instant before `at + horizon` where onCallAt's answer
 * differs, or null. Only the instants where some layer hands off, a restriction window opens or closes or
 * an override starts or ends can change the answer, so it steps from one such instant to the next.
 */
export function onCallUntil(
  schedule: Schedule,
  at: Date,
  horizonMs = 60 * 86_400_000,
): { userIds: string[]; until: Date | null } {
  const userIds = onCallAt(schedule, at);
  const limit = at.getTime() + horizonMs;
  const sources = changeSources(schedule, limit);
  // Each source's next instant is remembered until it is passed: most steps move only one source on.
  const next = sources.map((source) => source(at.getTime()));
  for (;;) {
    const t = Math.min(limit, ...next);
    if (t >= limit) return { userIds, until: null };
    if (!sameSet(onCallAt(schedule, new Date(t)), userIds)) return { userIds, until: new Date(t) };
    sources.forEach((source, i) => {
      if (next[i]! <= t) next[i] = source(t);
    });
  }
}
