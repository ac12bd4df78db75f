import { utcStamp } from "./utc-time";

/** "3m", "2h 5m", "4d": how long ago, compact enough for a table cell; the exact time on hover. */
export function RelativeTime({ iso, now }: { iso: string; now: Date }) {
  return (
    <time dateTime={iso} title={utcStamp(iso)}>
      {formatAge(now.getTime() - new Date(iso).getTime())}
    </time>
  );
}

export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}
