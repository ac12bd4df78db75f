// Slack's message text as people meant it. Slack escapes &, < and > and wraps mentions, channels and links
// in <…>; a timeline note or a resolution note should read as plain text in Vigil.

/** `<@U123|bob> see <https://x|the graph> &amp; <#C1|ops>` -> `@bob see the graph (https://x) & #ops`. */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)\|([^>]+)>/g, "@$2")
    .replace(/<@([UW][A-Z0-9]+)>/g, "@$1")
    .replace(/<#([CG][A-Z0-9]+)\|([^>]*)>/g, (_, id: string, name: string) => `#${name || id}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]+))?>/g, (_, name?: string) => name ?? "@group")
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, "@$1")
    .replace(/<mailto:([^|>]+)\|([^>]+)>/g, "$2")
    .replace(/<mailto:([^|>]+)>/g, "$1")
    .replace(/<((?:https?|ftp):[^|>]+)\|([^>]+)>/g, (_, url: string, label: string) =>
      label === url ? url : `${label} (${url})`,
    )
    .replace(/<((?:https?|ftp):[^>]+)>/g, "$1")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** Cuts text to Slack's field limits, marking the cut. */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
