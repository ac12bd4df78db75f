// Times as the postmortem shows them: wall-clock time in the configured zone (POSTMORTEM_TIME_ZONE).
// Durations read as everywhere else in Vigil: lib/format-duration.ts.

export interface ZonedTime {
  date: string;
  time: string;
}

export function zonedTime(at: Date, timeZone: string): ZonedTime {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    date: `${part("year")}-${part("month")}-${part("day")}`,
    time: `${part("hour")}:${part("minute")}:${part("second")}`,
  };
}

/** The calendar day it is in `timeZone` (an action item is overdue once its due date is before this). */
export const zonedToday = (now: Date, timeZone: string) => zonedTime(now, timeZone).date;
