import { describe, expect, it } from "vitest";
import { markdownHeadings } from "./headings";

describe("markdown headings", () => {
  it("reads # headings with their depth, text and line, without the closing #s", () => {
    expect(markdownHeadings("# Title\n\ntext\n## Immediate Checks\n### Links ##\n   ## Indented a little\n")).toEqual([
      { depth: 1, text: "Title", line: 1 },
      { depth: 2, text: "Immediate Checks", line: 4 },
      { depth: 3, text: "Links", line: 5 },
      { depth: 2, text: "Indented a little", line: 6 },
    ]);
  });

  it("follows CommonMark at the edges: a space after the #s, a closing run only after a space, at most six #s", () => {
    const texts = (markdown: string) => markdownHeadings(markdown).map((h) => h.text);
    expect(texts("#hashtag\n####### seven\n    ## code\n##\n## #\n")).toEqual([]);
    expect(texts("## C#\n## Tabs\t#\t\n##\tTabbed\n## a ## b\n")).toEqual(["C#", "Tabs", "Tabbed", "a ## b"]);
  });

  it("skips headings inside fenced code, whichever fence and however long", () => {
    const markdown = [
      "## Before",
      "```bash",
      "## comment",
      "```",
      "~~~~",
      "## inside",
      "```",
      "## still inside",
      "~~~~",
      "## After",
      "```",
      "## unclosed runs to the end",
    ].join("\n");
    expect(markdownHeadings(markdown).map((h) => [h.text, h.line])).toEqual([
      ["Before", 1],
      ["After", 10],
    ]);
  });

  it("counts Windows and old Mac line endings as lines", () => {
    expect(markdownHeadings("## A\r\n\r\n## B\r## C").map((h) => h.line)).toEqual([1, 3, 4]);
  });

  it("reads a hostile heading in milliseconds (a backtracking pattern took seconds per thousand spaces)", () => {
    const started = performance.now();
    const headings = markdownHeadings(`## x${" ".repeat(200_000)}y\n${"## a\n```\n".repeat(10_000)}`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(headings[0]).toMatchObject({ depth: 2, text: `x${" ".repeat(200_000)}y` });
  });
});
