// The night and week rules of the on-call load, on each person's wall clock, across DST changes.
import { describe, expect, it } from "vitest";
import { localDay, nightOf, stepReached, summarizeOncallLoad, weekOf, type SentPage } from "./oncall-load";

const at = (iso: string) => new Date(iso);

describe("nightOf", () => {
  it("names a night by its evening: 22:00 to 07:00 on the wall clock", () => {
    expect(nightOf(at("2026-12-07T21:59:00Z"), "UTC")).toBeNull();
    expect(nightOf(at("2026-12-07T22:00:00Z"), "UTC")).toBe("2026-12-07");
    expect(nightOf(at("2026-12-08T06:59:00Z"), "UTC")).toBe("2026-12-07");
    expect(nightOf(at("2026-12-08T07:00:00Z"), "UTC")).toBeNull();
  });

  it("reads the person's zone, not UTC", () => {
    // 06:30 EST is night in New York; 11:30 UTC is not.
    expect(nightOf(at("2026-12-08T11:30:00Z"), "America/New_York")).toBe("2026-12-07");
    // 22:15 IST (UTC+05:30) is night in Kolkata; 21:45 is not.
    expect(nightOf(at("2026-12-07T16:45:00Z"), "Asia/Kolkata")).toBe("2026-12-07");
    expect(nightOf(at("2026-12-07T16:15:00Z"), "Asia/Kolkata")).toBeNull();
  });

  it("keeps 22:00-07:00 on the wall clock across New York's DST changes", () => {
    // Fall back (2026-11-01): both 01:30s and 06:30 EST are the same night; 07:00 EST is morning.
    expect(nightOf(at("2026-11-01T05:30:00Z"), "America/New_York")).toBe("2026-10-31");
    expect(nightOf(at("2026-11-01T06:30:00Z"), "America/New_York")).toBe("2026-10-31");
    expect(nightOf(at("2026-11-01T11:30:00Z"), "America/New_York")).toBe("2026-10-31");
    expect(nightOf(at("2026-11-01T12:00:00Z"), "America/New_York")).toBeNull();
    // Spring forward (2026-03-08): 11:30 UTC is 07:30 EDT, morning (06:30 on the winter offset).
    expect(nightOf(at("2026-03-08T10:30:00Z"), "America/New_York")).toBe("2026-03-07");
    expect(nightOf(at("2026-03-08T11:30:00Z"), "America/New_York")).toBeNull();
  });
});

describe("weeks", () => {
  it("puts a day in the ISO week starting on its Monday", () => {
    expect(weekOf("2026-12-06")).toBe("2026-11-30"); // Sunday
    expect(weekOf("2026-12-07")).toBe("2026-12-07"); // Monday
    expect(weekOf("2027-01-01")).toBe("2026-12-28");
  });

  it("reads the day on the person's wall clock", () => {
    // Monday 01:00 in Auckland is still Sunday in UTC.
    expect(localDay(at("2026-12-06T12:00:00Z"), "Pacific/Auckland")).toBe("2026-12-07");
    expect(localDay(at("2026-12-06T12:00:00Z"), "UTC")).toBe("2026-12-06");
  });
});

describe("summarizeOncallLoad", () => {
  const page = (sentAt: string, overrides: Partial<SentPage> = {}): SentPage => ({
    userId: "u1",
    name: "Bob",
    timeZone: "Europe/London",
    incidentId: "i1",
    sentAt: at(sentAt),
    bundled: false,
    ...overrides,
  });

  it("counts one night however many pages it had, in the week of its evening", () => {
    const { people, load } = summarizeOncallLoad([
      // Sunday 23:00 and Monday 02:00 London time: Sunday's night, in the week before.
      page("2026-12-06T23:00:00Z"),
      page("2026-12-07T02:00:00Z", { incidentId: "i2" }),
      // Monday 10:00: a day page.
      page("2026-12-07T10:00:00Z", { incidentId: "i2" }),
    ]);
    expect(people).toEqual([
      {
        user_id: "u1",
        name: "Bob",
        time_zone: "Europe/London",
        time_zone_known: true,
        pages: 3,
        messages: 3,
        incidents: 2,
        nights_interrupted: 1,
      },
    ]);
    expect(load).toEqual([
      { user_id: "u1", week: "2026-11-30", pages: 1, messages: 1, nights_interrupted: 1 },
      { user_id: "u1", week: "2026-12-07", pages: 2, messages: 2, nights_interrupted: 0 },
    ]);
  });

  it("counts a bundled page as a page but not as a message, and reads no zone as UTC", () => {
    const { people } = summarizeOncallLoad([
      page("2026-12-07T12:00:00Z", { timeZone: null }),
      page("2026-12-07T12:00:00Z", { timeZone: null, incidentId: "i2", bundled: true }),
    ]);
    expect(people[0]).toMatchObject({ time_zone: "UTC", time_zone_known: false, pages: 2, messages: 1, incidents: 2 });
  });

  it("orders people by pages, most first", () => {
    const { people } = summarizeOncallLoad([
      page("2026-12-07T12:00:00Z", { userId: "u2", name: "Alice" }),
      page("2026-12-07T12:00:00Z"),
      page("2026-12-07T13:00:00Z"),
    ]);
    expect(people.map((p) => p.name)).toEqual(["Bob", "Alice"]);
  });
});

describe("stepReached", () => {
  it("numbers steps from 1, counting passes", () => {
    expect(stepReached(0, 0, 2)).toBe(1);
    expect(stepReached(0, 1, 2)).toBe(2);
    expect(stepReached(1, 0, 2)).toBe(3);
  });
});
