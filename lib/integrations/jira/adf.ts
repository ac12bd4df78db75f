// Atlassian Document Format, the little of it a ticket description needs: paragraphs of text runs,
// some of them links. Jira Cloud's REST v3 takes descriptions only in this form.

export interface AdfText {
  type: "text";
  text: string;
  marks?: { type: "link"; attrs: { href: string } }[];
}
export interface AdfParagraph {
  type: "paragraph";
  content: AdfText[];
}
export interface AdfDocument {
  type: "doc";
  version: 1;
  content: AdfParagraph[];
}

/** A run of text, or a link when `href` is given. ADF refuses empty text nodes, so callers skip them. */
export const adfText = (text: string, href?: string): AdfText =>
  href ? { type: "text", text, marks: [{ type: "link", attrs: { href } }] } : { type: "text", text };

export function adfDocument(paragraphs: AdfText[][]): AdfDocument {
  return {
    type: "doc",
    version: 1,
    content: paragraphs
      .map((runs) => runs.filter((r) => r.text !== ""))
      .filter((runs) => runs.length > 0)
      .map((content) => ({ type: "paragraph", content })),
  };
}
