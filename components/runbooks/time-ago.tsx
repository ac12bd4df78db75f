// "3m ago", "just now": when a version was made, the exact time on hover.
import { formatAge } from "../ui/relative-time";
import { utcStamp } from "../ui/utc-time";

export function TimeAgo({ iso, now }: { iso: string; now: Date }) {
  const age = formatAge(now.getTime() - new Date(iso).getTime());
  return (
    <time dateTime={iso} title={utcStamp(iso)}>
      {age === "just now" ? age : `${age} ago`}
    </time>
  );
}
