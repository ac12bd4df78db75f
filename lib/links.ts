// Links made from what others wrote (an alert's runbook_url, a runbook's markdown): only an absolute
// http(s) URL becomes a link, so no javascript:, data: or relative link reaches someone's click.

/** The URL, as the WHATWG parser writes it, when it is an absolute http(s) URL; else null. */
export function httpUrl(text: string | null | undefined): string | null {
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}
