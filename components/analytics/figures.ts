// How analytics figures read: durations in the largest units that keep them short, shares as percentages.

/** "45 s", "12 min", "1 h 05 min", "2 d 3 h"; "—" when there is nothing to show. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

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
