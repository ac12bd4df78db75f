import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  finalSegments,
  finalShifts,
  onCallAt,
  onCallUntil,
  scheduleGaps,
  type Layer,
  type Override,
  type Schedule,
} from "./on-call-at";
import { wallTimeAt } from "./zoned-time";

const at = (iso: string) => new Date(iso);
const hours = (s: { start: Date; end: Date }) => (s.end.getTime() - s.start.getTime()) / 3_600_000;

function layer(fields: Partial<Layer> & Pick<Layer, "anchor">): Layer {
  return {
    id: fields.id ?? "l1",
    name: fields.name ?? "primary",
    interval: { unit: "days", count: 1 },
    participants: ["alice", "bob"],
    restrictions: [],
    ...fields,
  };
}

const schedule = (timeZone: string, layers: Layer[], overrides: Override[] = []): Schedule => ({
  timeZone,
  layers,
  overrides,
});

/** The shift that contains `t`. */
function shiftAround(s: Schedule, t: string) {
  const instant = at(t);
  const shifts = finalShifts(
    s,
    new Date(instant.getTime() - 10 * 86_400_000),
    new Date(instant.getTime() + 10 * 86_400_000),
  );
  return shifts.find((x) => x.start <= instant && instant < x.end)!;
}

describe("handoffs on the wall clock across DST changes", () => {
  it("keeps a 09:00 handoff at 09:00 in New York; the spring shift is 23 h, the fall one 25 h", () => {
    const s = schedule("America/New_York", [layer({ anchor: "2026-03-01T09:00" })]);
    const spring = shiftAround(s, "2026-03-08T06:00:00Z");
    expect(spring.start.toISOString()).toBe("2026-03-07T14:00:00.000Z"); // 09:00 EST
    expect(spring.end.toISOString()).toBe("2026-03-08T13:00:00.000Z"); // 09:00 EDT
    expect(hours(spring)).toBe(23);
    const fall = shiftAround(s, "2026-11-01T06:00:00Z");
    expect(fall.end.toISOString()).toBe("2026-11-01T14:00:00.000Z");
    expect(hours(fall)).toBe(25);
  });

  it("keeps a weekly London handoff at Monday 09:00 on both sides of the changes", () => {
    const s = schedule("Europe/London", [layer({ anchor: "2026-03-23T09:00", interval: { unit: "weeks", count: 1 } })]);
    const spring = shiftAround(s, "2026-03-29T12:00:00Z");
    expect(spring.start.toISOString()).toBe("2026-03-23T09:00:00.000Z");
    expect(spring.end.toISOString()).toBe("2026-03-30T08:00:00.000Z");
    expect(hours(spring)).toBe(167);
    const fall = shiftAround(s, "2026-10-25T12:00:00Z");
    expect(hours(fall)).toBe(169);
    expect(fall.end.toISOString()).toBe("2026-10-26T09:00:00.000Z");
  });

  it("shortens and lengthens Lord Howe's shifts by half an hour", () => {
    const s = schedule("Australia/Lord_Howe", [layer({ anchor: "2026-03-01T09:00" })]);
    expect(hours(shiftAround(s, "2026-10-03T12:00:00Z"))).toBe(23.5);
    expect(hours(shiftAround(s, "2026-04-04T12:00:00Z"))).toBe(24.5);
    for (const t of ["2026-10-03T12:00:00Z", "2026-04-04T12:00:00Z"]) {
      const shift = shiftAround(s, t);
      expect(wallTimeAt(shift.end.getTime(), s.timeZone)).toMatchObject({ hour: 9, minute: 0 });
    }
  });

  it("hands a 12-hour day/night rotation off at 08:00 and 20:00 all year", () => {
    for (const zone of ["America/New_York", "Europe/London", "Australia/Lord_Howe"]) {
      const s = schedule(zone, [
        layer({ anchor: "2026-01-01T08:00", interval: { unit: "hours", count: 12 }, participants: ["day", "night"] }),
      ]);
      const shifts = finalShifts(s, at("2026-01-02T00:00:00Z"), at("2027-01-01T00:00:00Z"));
      expect(shifts.length).toBeGreaterThan(700);
      for (const shift of shifts.slice(1)) {
        const start = wallTimeAt(shift.start.getTime(), zone);
        expect([start.hour, start.minute], `${zone} ${shift.start.toISOString()}`).toEqual(
          shift.userId === "day" ? [8, 0] : [20, 0],
        );
      }
    }
  });

  it("starts a handoff set in the skipped hour at the first instant after it, the next day at its time again", () => {
    const s = schedule("America/New_York", [layer({ anchor: "2026-03-01T02:30" })]);
    const shift = shiftAround(s, "2026-03-08T12:00:00Z");
    expect(shift.start.toISOString()).toBe("2026-03-08T07:00:00.000Z"); // 03:00 EDT
    expect(shift.end.toISOString()).toBe("2026-03-09T06:30:00.000Z"); // 02:30 EDT
  });

  it("hands off at the first 01:30 of New York's fall-back night", () => {
    const s = schedule("America/New_York", [layer({ anchor: "2026-10-01T01:30" })]);
    expect(shiftAround(s, "2026-11-01T12:00:00Z").start.toISOString()).toBe("2026-11-01T05:30:00.000Z");
  });
});

describe("restrictions", () => {
  const weeknights = { days: [0, 1, 2, 3, 4], start: "22:00", end: "06:00" };

  it("covers a window across midnight into the next day, in the schedule's zone", () => {
    const s = schedule("Europe/London", [layer({ anchor: "2026-06-01T00:00", restrictions: [weeknights] })]);
    // Friday 2026-06-05 23:00 BST, Saturday 05:00 BST (window began Friday), Saturday 23:00 (no window).
    expect(onCallAt(s, at("2026-06-05T22:00:00Z"))).toHaveLength(1);
    expect(onCallAt(s, at("2026-06-06T04:00:00Z"))).toHaveLength(1);
    expect(onCallAt(s, at("2026-06-06T05:00:00Z"))).toEqual([]); // 06:00 BST: window over
    expect(onCallAt(s, at("2026-06-06T22:00:00Z"))).toEqual([]);
    // Monday 05:00 would be Sunday night's window, which does not exist.
    expect(onCallAt(s, at("2026-06-08T04:00:00Z"))).toEqual([]);
  });

  it("ends a window at the last instance of an ambiguous end time", () => {
    const s = schedule("America/New_York", [
      layer({ anchor: "2026-10-01T00:00", restrictions: [{ days: [6], start: "00:00", end: "01:30" }] }),
    ]);
    expect(onCallAt(s, at("2026-11-01T06:15:00Z"))).toHaveLength(1); // second 01:15 (EST)
    expect(onCallAt(s, at("2026-11-01T06:30:00Z"))).toEqual([]);
  });

  it("lets a restricted higher layer win in its window and the layer below fill the rest", () => {
    const s = schedule("America/New_York", [
      layer({ id: "base", anchor: "2026-01-05T09:00", participants: ["carol"] }),
      layer({
        id: "office",
        anchor: "2026-01-05T09:00",
        participants: ["dave"],
        restrictions: [{ days: [0, 1, 2, 3, 4], start: "09:00", end: "17:00" }],
      }),
    ]);
    expect(onCallAt(s, at("2026-01-07T15:00:00Z"))).toEqual(["dave"]); // Wednesday 10:00
    expect(onCallAt(s, at("2026-01-07T23:00:00Z"))).toEqual(["carol"]); // 18:00
    expect(onCallAt(s, at("2026-01-10T15:00:00Z"))).toEqual(["carol"]); // Saturday
  });
});

describe("layers and overrides", () => {
  it("puts nobody on call from a layer whose anchor is still in the future", () => {
    const future = layer({ id: "next", anchor: "2026-09-01T09:00", participants: ["erin"] });
    expect(onCallAt(schedule("UTC", [future]), at("2026-08-31T12:00:00Z"))).toEqual([]);
    const s = schedule("UTC", [layer({ anchor: "2026-01-01T09:00", participants: ["frank"] }), future]);
    expect(onCallAt(s, at("2026-08-31T12:00:00Z"))).toEqual(["frank"]);
    expect(onCallAt(s, at("2026-09-01T09:00:00Z"))).toEqual(["erin"]);
    expect(scheduleGaps(schedule("UTC", [future]), at("2026-08-30T00:00:00Z"), at("2026-09-02T00:00:00Z"))).toEqual([
      { start: at("2026-08-30T00:00:00Z"), end: at("2026-09-01T09:00:00Z"), userIds: [] },
    ]);
  });

  it("rotates participants in order from the anchor", () => {
    const s = schedule("UTC", [layer({ anchor: "2026-01-01T09:00", participants: ["a", "b", "c"] })]);
    expect(onCallAt(s, at("2026-01-01T10:00:00Z"))).toEqual(["a"]);
    expect(onCallAt(s, at("2026-01-02T10:00:00Z"))).toEqual(["b"]);
    expect(onCallAt(s, at("2026-01-04T08:59:00Z"))).toEqual(["c"]);
    expect(onCallAt(s, at("2026-01-04T09:00:00Z"))).toEqual(["a"]);
  });

  const base = schedule("UTC", [layer({ anchor: "2026-01-01T00:00", participants: ["alice"] })]);
  const override = (o: Partial<Override> & Pick<Override, "userId">): Override => ({
    id: o.id ?? o.userId,
    start: at("2026-02-01T10:00:00Z"),
    end: at("2026-02-01T14:00:00Z"),
    kind: "replace",
    replaces: null,
    ...o,
  });

  it("lets an override be overridden, and applies each only within its range", () => {
    const s = {
      ...base,
      overrides: [
        override({ userId: "bob", replaces: "alice" }),
        override({
          userId: "carol",
          replaces: "bob",
          start: at("2026-02-01T11:00:00Z"),
          end: at("2026-02-01T12:00:00Z"),
        }),
      ],
    };
    expect(onCallAt(s, at("2026-02-01T09:59:00Z"))).toEqual(["alice"]);
    expect(onCallAt(s, at("2026-02-01T10:30:00Z"))).toEqual(["bob"]);
    expect(onCallAt(s, at("2026-02-01T11:30:00Z"))).toEqual(["carol"]);
    expect(onCallAt(s, at("2026-02-01T13:00:00Z"))).toEqual(["bob"]);
    expect(onCallAt(s, at("2026-02-01T14:00:00Z"))).toEqual(["alice"]);
    expect(finalSegments(s, at("2026-02-01T00:00:00Z"), at("2026-02-02T00:00:00Z")).map((x) => x.userIds)).toEqual([
      ["alice"],
      ["bob"],
      ["carol"],
      ["bob"],
      ["alice"],
    ]);
  });

  it("adds a person beside whoever is on call, and ignores a replacement of someone not on call", () => {
    const s = {
      ...base,
      overrides: [override({ userId: "dan", kind: "add" }), override({ userId: "eve", replaces: "zed" })],
    };
    expect(onCallAt(s, at("2026-02-01T11:00:00Z"))).toEqual(["alice", "dan"]);
  });

  it("fills a gap with an override and says until when someone is on call", () => {
    const empty = schedule("UTC", [], [override({ userId: "bob" })]);
    expect(onCallUntil(empty, at("2026-02-01T11:00:00Z"))).toEqual({
      userIds: ["bob"],
      until: at("2026-02-01T14:00:00Z"),
    });
    expect(onCallUntil(base, at("2026-02-01T11:00:00Z"))).toEqual({ userIds: ["alice"], until: null });
  });
});

/** The first onCallUntil (kept as the oracle): the final segments a day, a week, then the horizon ahead. */
function onCallUntilBySegments(s: Schedule, when: Date, horizonMs = 60 * 86_400_000) {
  const userIds = onCallAt(s, when);
  for (const ahead of [86_400_000, 7 * 86_400_000, horizonMs]) {
    const horizon = Math.min(ahead, horizonMs);
    const [current] = finalSegments(s, when, new Date(when.getTime() + horizon));
    if (current && current.end.getTime() < when.getTime() + horizon) return { userIds, until: current.end };
    if (horizon === horizonMs) break;
  }
  return { userIds, until: null };
}

describe("onCallUntil stepping over candidate instants", () => {
  const people = ["ann", "ben", "cat", "dom"];
  const clock = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
    .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
  // Instants in 2026 and the first days of 2027, to the quarter hour: DST nights included.
  const instant = fc.integer({ min: 0, max: 380 * 96 }).map((q) => Date.UTC(2026, 0, 1) + q * 900_000);
  const randomLayer = fc.record({
    id: fc.constant("l"),
    name: fc.constant("layer"),
    anchor: fc.tuple(fc.integer({ min: 0, max: 330 }), clock).map(([day, time]) => {
      const date = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      return `${date}T${time}`;
    }),
    interval: fc.record({
      unit: fc.constantFrom("hours" as const, "days" as const, "weeks" as const),
      count: fc.integer({ min: 1, max: 12 }),
    }),
    participants: fc.subarray(people),
    restrictions: fc.array(fc.record({ days: fc.subarray([0, 1, 2, 3, 4, 5, 6]), start: clock, end: clock }), {
      maxLength: 2,
    }),
  });
  const randomOverride = fc
    .record({
      id: fc.constant("o"),
      start: instant,
      hours: fc.integer({ min: 1, max: 72 }),
      userId: fc.constantFrom(...people),
      kind: fc.constantFrom("replace" as const, "add" as const),
      replaces: fc.option(fc.constantFrom(...people)),
    })
    .map(({ start, hours: length, ...o }) => ({
      ...o,
      start: new Date(start),
      end: new Date(start + length * 3_600_000),
    }));
  const randomSchedule = fc.record({
    timeZone: fc.constantFrom("America/New_York", "Europe/London", "Australia/Lord_Howe"),
    layers: fc.array(randomLayer, { maxLength: 3 }),
    overrides: fc.array(randomOverride, { maxLength: 4 }),
  });

  it("answers exactly as the final segments do, over random schedules in the three test zones", () => {
    fc.assert(
      fc.property(
        randomSchedule,
        instant,
        fc.option(fc.integer({ min: 1, max: 20 * 96 }).map((q) => q * 900_000)),
        (s, when, horizon) => {
          const expected = onCallUntilBySegments(s, new Date(when), horizon ?? undefined);
          expect(onCallUntil(s, new Date(when), horizon ?? undefined)).toEqual(expected);
        },
      ),
      { seed: 20, numRuns: 400 },
    );
  });
});
