// The token CLI's --expires: a number of days from now ("90d") or a date or time ("2027-01-31",
// "2027-01-31T18:00:00Z"; a bare date means its start, UTC).
export function parseTokenExpiry(text: string, now: Date): Date {
  const days = /^(\d{1,4})d$/.exec(text.trim());
  const at = days ? new Date(now.getTime() + Number(days[1]) * 86_400_000) : new Date(text.trim());
  if (Number.isNaN(at.getTime())) throw new Error(`--expires ${text}: give days ("90d") or a date ("2027-01-31")`);
  return at;
}
