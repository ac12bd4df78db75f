// A postmortem as a list of sections: the preamble (title and facts) and one section per level-2
// heading. Sections are the unit regeneration refreshes or keeps, so the split must be stable: headings
// inside fenced code do not count, and a repeated heading gets its own key.
import { markdownHeadings } from "../markdown/headings";

export interface Section {
  /** "" for the preamble, else the heading in lower case ("timeline"); repeats get "#2", "#3"… */
  key: string;
  /** The heading line and its body, without trailing blank lines. */
  text: string;
}

/** LF line endings and no trailing spaces at the end: how every document is compared and stored. */
export const normalizeMarkdown = (markdown: string) => markdown.replace(/\r\n?/g, "\n").trimEnd();

export function splitSections(markdown: string): Section[] {
  const normalized = normalizeMarkdown(markdown);
  const headingAt = new Map(
    markdownHeadings(normalized)
      .filter((h) => h.depth === 2)
      .map((h) => [h.line, h.text.toLowerCase()]),
  );
  const sections: { heading: string; lines: string[] }[] = [{ heading: "", lines: [] }];
  normalized.split("\n").forEach((line, index) => {
    const heading = headingAt.get(index + 1);
    if (heading !== undefined) sections.push({ heading, lines: [line] });
    else sections.at(-1)!.lines.push(line);
  });
  const seen = new Map<string, number>();
  return sections
    .map(({ heading, lines: body }) => {
      const n = (seen.get(heading) ?? 0) + 1;
      seen.set(heading, n);
      return { key: n === 1 ? heading : `${heading}#${n}`, text: body.join("\n").replace(/^\n+/, "").trimEnd() };
    })
    .filter((s) => s.text !== "");
}

export function joinSections(sections: Section[]): string {
  return `${sections.map((s) => s.text).join("\n\n")}\n`;
}

/** The document as sections would write it back: two documents that differ only in spacing between sections compare equal. */
export const canonicalMarkdown = (markdown: string) => joinSections(splitSections(markdown));
