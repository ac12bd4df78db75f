// The `#` headings of a markdown document, read line by line as CommonMark defines them (up to three
// spaces of indent, one to six `#`, a space, the text, an optional closing run of `#`), skipping fenced
// code. One pass, no backtracking: the heading patterns this replaces (`.+?\s*#*\s*$`) took seconds on a
// heading of `## x`, a few thousand spaces and a letter. Not micromark (react-markdown's parser): its
// inline and nesting rules are themselves superlinear on hostile input (`*_` repeated, deep `>`), and
// headings need neither.

export interface MarkdownHeading {
  /** 1 for `#`, 2 for `##`… */
  depth: number;
  /** The heading's text as written, without the `#`s around it: "Immediate Checks". */
  text: string;
  /** 1-based line number. */
  line: number;
}

/** The document's headings, in order; headings inside fenced code and empty ones are left out. */
export function markdownHeadings(markdown: string): MarkdownHeading[] {
  const headings: MarkdownHeading[] = [];
  let fence: Fence | null = null;
  markdown.split(/\r\n?|\n/).forEach((line, index) => {
    const indent = runLength(line, 0, " ");
    if (indent > 3) return; // indented code, or text inside a fence
    const rest = line.slice(indent);
    if (fence) {
      if (closesFence(rest, fence)) fence = null;
      return;
    }
    fence = fenceOpening(rest);
    if (fence) return;
    const heading = atxHeading(rest);
    if (heading) headings.push({ ...heading, line: index + 1 });
  });
  return headings;
}

interface Fence {
  char: "`" | "~";
  length: number;
}

function runLength(text: string, from: number, char: string): number {
  let end = from;
  while (text[end] === char) end++;
  return end - from;
}

const blank = (text: string) => text.trim() === "";

function fenceOpening(line: string): Fence | null {
  const char = line[0];
  if (char !== "`" && char !== "~") return null;
  const length = runLength(line, 0, char);
  if (length < 3) return null;
  // A backtick fence's info string cannot hold a backtick (that line is inline code instead).
  if (char === "`" && line.includes("`", length)) return null;
  return { char, length };
}

function closesFence(line: string, fence: Fence): boolean {
  const length = runLength(line, 0, fence.char);
  return length >= fence.length && blank(line.slice(length));
}

function atxHeading(line: string): { depth: number; text: string } | null {
  const depth = runLength(line, 0, "#");
  if (depth < 1 || depth > 6) return null;
  const after = line.slice(depth);
  if (after !== "" && after[0] !== " " && after[0] !== "\t") return null;
  const content = after.trim();
  // A closing run of `#` counts only after a space (`## C#` is about C#), or as the whole content.
  const hashes = trailingRun(content, "#");
  const beforeHashes = content.slice(0, content.length - hashes);
  const text = hashes > 0 && (beforeHashes === "" || /[ \t]$/.test(beforeHashes)) ? beforeHashes.trim() : content;
  return text === "" ? null : { depth, text };
}

function trailingRun(text: string, char: string): number {
  let start = text.length;
  while (start > 0 && text[start - 1] === char) start--;
  return text.length - start;
}
