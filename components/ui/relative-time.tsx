import { formatDuration } from "@/lib/format-duration";
import { utcStamp } from "./utc-time";

/** "3m", "2h 5m", "4d 3h": how long ago, compact enough for a table cell; the exact time on hover. */
export function RelativeTime({ iso, now }: { iso: string; now: Date }) {
  return (
    <time dateTime={iso} title={utcStamp(iso)}>
      {formatAge(now.getTime() - new Date(iso).getTime())}
    </time>
  );
}

/** An age to the minute (a page shows it for a while), "just now" below one. */
export const formatAge = (ms: number): string => (ms < 60_000 ? "just now" : formatDuration(ms, "minute"));
