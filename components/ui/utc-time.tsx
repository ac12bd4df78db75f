// Absolute times are shown in UTC and say so: people in several time zones read the same incident, and
// a postmortem quotes its times. (Ages, "3m", are relative-time.tsx.)

/** "2026-11-28 21:12:57 UTC", from an ISO instant in UTC (as the API writes them). */
export const utcStamp = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/** The time of day, "21:12:57", with the full stamp on hover; `withDate` shows the date too. */
export function UtcTime({ iso, withDate = true }: { iso: string; withDate?: boolean }) {
  return (
    <time dateTime={iso} title={utcStamp(iso)}>
      {withDate ? utcStamp(iso) : `${iso.slice(11, 19)} UTC`}
    </time>
  );
}
