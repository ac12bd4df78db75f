// What the markdown renderer (micromark, under react-markdown) cannot take in bounded time or stack: it
// resolves emphasis delimiters (`*`, `_`, `~`) in time quadratic in their number within one paragraph
// (`*_` 8,000 times: seconds), and recurses once per nesting level of lists and block quotes (3,000
// levels: a stack overflow). People's runbooks and postmortems never come near either, so a document that
// does is refused at save and, if already stored, shown as plain text. One linear pass, no regex.

/** Emphasis delimiters one paragraph may hold. */
export const MAX_DELIMITERS_PER_PARAGRAPH = 500;
/** Nested lists and block quotes one line may open. */
export const MAX_NESTING = 32;

/** Why the document would be too costly to render, or null when it is fine. */
export function markdownRenderProblem(markdown: string): string | null {
  let delimiters = 0;
  let inFence: string | null = null;
  let line = 1;
  for (let start = 0; start <= markdown.length; line++) {
    let end = markdown.indexOf("\n", start);
    if (end === -1) end = markdown.length;
    const text = markdown.slice(start, end);
    start = end + 1;

    const fence = fenceOf(text);
    if (fence && (inFence === null || fence === inFence)) {
      inFence = inFence === null ? fence : null;
      continue;
    }
    if (inFence !== null) continue;
    if (text.trim() === "") {
      delimiters = 0; // a blank line ends the paragraph
      continue;
    }
    if (nestingOf(text) > MAX_NESTING) return `line ${line} nests lists or quotes more than ${MAX_NESTING} deep`;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === "*" || c === "_" || c === "~") delimiters++;
    }
    if (delimiters > MAX_DELIMITERS_PER_PARAGRAPH)
      return `the paragraph ending on line ${line} has more than ${MAX_DELIMITERS_PER_PARAGRAPH} emphasis characters (*, _ or ~)`;
    if (end === markdown.length) break;
  }
  return null;
}

/** "```" or "~~~" when the line opens or closes a fenced code block (up to three spaces of indent). */
function fenceOf(text: string): string | null {
  let i = 0;
  while (i < 3 && text[i] === " ") i++;
  const c = text[i];
  if ((c === "`" || c === "~") && text[i + 1] === c && text[i + 2] === c) return c.repeat(3);
  return null;
}

/** How many list items and block quotes the line opens at its start ("> - > 1. x" is 4). */
function nestingOf(text: string): number {
  let depth = 0;
  let i = 0;
  for (;;) {
    while (text[i] === " " || text[i] === "\t") i++;
    const c = text[i];
    if (c === ">") {
      depth++;
      i++;
    } else if ((c === "-" || c === "+" || c === "*") && (text[i + 1] === " " || text[i + 1] === "\t")) {
      depth++;
      i += 2;
    } else {
      let j = i;
      while (j < text.length && j - i < 9 && text[j]! >= "0" && text[j]! <= "9") j++;
      if (j > i && (text[j] === "." || text[j] === ")") && (text[j + 1] === " " || text[j + 1] === "\t")) {
        depth++;
        i = j + 2;
      } else {
        return depth;
      }
    }
  }
}

/** For a zod schema of a markdown field: the problem, if any, as the field's issue. */
export function renderable(
  markdown: string,
  ctx: { addIssue: (issue: { code: "custom"; message: string }) => void },
): void {
  const problem = markdownRenderProblem(markdown);
  if (problem) ctx.addIssue({ code: "custom", message: `cannot be shown: ${problem}` });
}
