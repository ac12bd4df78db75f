// Plain text with its web addresses made links: timeline notes and Vigil's own messages name postmortems,
// dashboards and tickets by URL. Only http(s) addresses; the text itself is never treated as HTML.
const address = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

export function LinkedText({ text }: { text: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(address)) {
    const start = match.index;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a
        key={start}
        href={match[0]}
        className="break-all text-blue-700 underline dark:text-blue-400"
        rel="noreferrer noopener"
        target="_blank"
      >
        {match[0]}
      </a>,
    );
    last = start + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}
