// Text and links in Slack's mrkdwn. Whatever comes from alerts, incidents or runbooks goes through here,
// so it cannot add markup, mentions or links of its own.
import { httpUrl } from "../../links";

/** Slack mrkdwn treats <, > and & as markup. */
export const escapeMrkdwn = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/**
 * `<url|text>` for an http(s) URL, else the text alone. In the URL a `|` would end it and start the
 * link's text (`https://x|Click me` relabels the link), so it is percent-encoded; <, > and & are escaped.
 */
export function mrkdwnLink(url: string | null | undefined, text: string): string {
  const href = httpUrl(url);
  if (!href) return escapeMrkdwn(text);
  return `<${escapeMrkdwn(href).replaceAll("|", "%7C")}|${escapeMrkdwn(text)}>`;
}
