// The on-call load, bucketed in each person's own time zone: sent pages per person per week, and nights
// interrupted (a page between 22:00 and 07:00 on the person's wall clock). Pure, so the night and week
// rules are tested without a database; get-oncall-load.ts feeds it the sent pages.
import { wallTimeAt } from "../oncall/zoned-time";

/** A night runs from 22:00 to 07:00 the next morning, on the person's wall clock. */
export const NIGHT_STARTS_HOUR = 22;
export const NIGHT_ENDS_HOUR = 7;

const DAY_MS = 86_400_000;

/** One sent page as the load counts it. */
export interface SentPage {
  userId: string;
  name: string;
  /** The person's IANA zone; null when they have not said (then UTC is used, and the answer says so). */
  timeZone: string | null;
  incidentId: string;
  sentAt: Date;
  /** Set when another page's message carried this one (several incidents bundled into one message). */
  bundled: boolean;
}

export interface PersonLoad {
  user_id: string;
  name: string;
  time_zone: string;
  time_zone_known: boolean;
  pages: number;
  messages: number;
  incidents: number;
  nights_interrupted: number;
}

export interface WeekLoad {
  user_id: string;
  week: string;
  pages: number;
  messages: number;
  nights_interrupted: number;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The calendar date the wall clock in `zone` shows at `instant` (YYYY-MM-DD). */
export function localDay(instant: Date, zone: string): string {
  const w = wallTimeAt(instant.getTime(), zone);
  return isoDay(Date.UTC(w.year, w.month - 1, w.day));
}

/**
 * The night a page at `instant` interrupted, named by the date of its evening (a page at 02:00 on a
 * Tuesday interrupts Monday's night), or null when it came in the day. Wall-clock hours, so a night
 * across a DST change is still 22:00-07:00 (an hour shorter or longer in elapsed time).
 */
export function nightOf(instant: Date, zone: string): string | null {
  const w = wallTimeAt(instant.getTime(), zone);
  const day = Date.UTC(w.year, w.month - 1, w.day);
  if (w.hour >= NIGHT_STARTS_HOUR) return isoDay(day);
  if (w.hour < NIGHT_ENDS_HOUR) return isoDay(day - DAY_MS);
  return null;
}

/** The Monday of the ISO week holding a calendar date (YYYY-MM-DD). */
export function weekOf(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday = 0
  return isoDay(ms - weekday * DAY_MS);
}

/**
 * Per person (busiest first) and per person and week (weeks of the person's wall clock, Monday first):
 * pages counts every sent page, one per incident even when bundled; messages counts what arrived (a
 * bundle once); nights counts distinct nights, each in the week of its evening.
 */
export function summarizeOncallLoad(pages: readonly SentPage[]): { people: PersonLoad[]; load: WeekLoad[] } {
  const people = new Map<string, PersonLoad & { incidentIds: Set<string>; nights: Set<string> }>();
  const weeks = new Map<string, WeekLoad & { nights: Set<string> }>();
  for (const page of pages) {
    const zone = page.timeZone ?? "UTC";
    let person = people.get(page.userId);
    if (!person) {
      person = {
        user_id: page.userId,
        name: page.name,
        time_zone: zone,
        time_zone_known: page.timeZone !== null,
        pages: 0,
        messages: 0,
        incidents: 0,
        nights_interrupted: 0,
        incidentIds: new Set(),
        nights: new Set(),
      };
      people.set(page.userId, person);
    }
    const pageWeek = weekOf(localDay(page.sentAt, zone));
    const week = weekFor(weeks, page.userId, pageWeek);
    const message = page.bundled ? 0 : 1;
    person.pages += 1;
    person.messages += message;
    person.incidentIds.add(page.incidentId);
    week.pages += 1;
    week.messages += message;
    const night = nightOf(page.sentAt, zone);
    if (night !== null) {
      person.nights.add(night);
      weekFor(weeks, page.userId, weekOf(night)).nights.add(night);
    }
  }
  return {
    people: [...people.values()]
      .map(({ incidentIds, nights, ...p }) => ({ ...p, incidents: incidentIds.size, nights_interrupted: nights.size }))
      .sort((a, b) => b.pages - a.pages || a.name.localeCompare(b.name) || a.user_id.localeCompare(b.user_id)),
    load: [...weeks.values()]
      .map(({ nights, ...w }) => ({ ...w, nights_interrupted: nights.size }))
      .sort((a, b) => a.week.localeCompare(b.week) || a.user_id.localeCompare(b.user_id)),
  };
}

function weekFor(weeks: Map<string, WeekLoad & { nights: Set<string> }>, userId: string, week: string) {
  const key = `${userId} ${week}`;
  let entry = weeks.get(key);
  if (!entry) {
    entry = { user_id: userId, week, pages: 0, messages: 0, nights_interrupted: 0, nights: new Set() };
    weeks.set(key, entry);
  }
  return entry;
}

/** Which step of the run was the last to page, 1-based and counting passes (pass 2 of a 2-step policy: 3, 4). */
export function stepReached(pass: number, step: number, stepsPerPass: number): number {
  return pass * stepsPerPass + step + 1;
}
