// How analytics figures read: durations as everywhere in Vigil, shares as percentages.
import { formatDuration } from "@/lib/format-duration";

/** A figure in seconds as every duration in Vigil reads ("12m 5s", "1h 5m"); "—" when there is none. */
export const formatSeconds = (seconds: number | null): string =>
  seconds === null ? "—" : formatDuration(seconds * 1000);

/** 0.1234 → "12.3 %"; "—" for no share. */
export function formatShare(share: number | null): string {
  return share === null ? "—" : `${(share * 100).toFixed(1)} %`;
}

export const formatCount = (n: number) => n.toLocaleString("en-US");

/** Chart axis ticks: minutes below an hour, hours below two days, then days; a decimal only when it tells. */
export function formatDurationTick(seconds: number): string {
  const short = (n: number) => String(n >= 10 ? Math.round(n) : Math.round(n * 10) / 10);
  if (seconds < 3600) return `${short(seconds / 60)}m`;
  if (seconds < 172_800) return `${short(seconds / 3600)}h`;
  return `${short(seconds / 86_400)}d`;
}
