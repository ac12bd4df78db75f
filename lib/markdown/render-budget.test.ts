import { describe, expect, it } from "vitest";
import { markdownRenderProblem, MAX_DELIMITERS_PER_PARAGRAPH, MAX_NESTING } from "./render-budget";

describe("what the markdown renderer is not given", () => {
  it("refuses a paragraph thick with emphasis characters, which the renderer resolves in quadratic time", () => {
    expect(markdownRenderProblem(`## Steps\n\n${"*_".repeat(50_000)}\n`)).toMatch(
      /paragraph ending on line 3 has more than 500 emphasis characters/,
    );
    // The same characters spread over paragraphs, or inside fenced code, are fine.
    expect(markdownRenderProblem(`${"*_".repeat(200)}\n\n`.repeat(20))).toBeNull();
    expect(markdownRenderProblem("```\n" + "*_".repeat(50_000) + "\n```\n")).toBeNull();
  });

  it("refuses lists or quotes nested deeper than any document needs, which overflow the renderer's stack", () => {
    expect(markdownRenderProblem(`x\n${"- ".repeat(3000)}x`)).toBe(
      `line 2 nests lists or quotes more than ${MAX_NESTING} deep`,
    );
    expect(markdownRenderProblem(`${"> ".repeat(40)}x`)).toMatch(/line 1 nests/);
    expect(markdownRenderProblem("- a\n  - b\n    1. c\n> quoted\n* * *\n")).toBeNull();
  });

  it("takes the ordinary shipped-runbook shapes, and checks a hostile 200 KB document in milliseconds", () => {
    expect(
      markdownRenderProblem(
        "# T\n\n**Bold** and _it_ and ~~gone~~, `snake_case_name`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
      ),
    ).toBeNull();
    const started = performance.now();
    markdownRenderProblem(`${"*_a".repeat(66_000)}`);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("lets a paragraph have exactly the cap", () => {
    expect(markdownRenderProblem("*_".repeat(MAX_DELIMITERS_PER_PARAGRAPH / 2))).toBeNull();
    expect(markdownRenderProblem("*_".repeat(MAX_DELIMITERS_PER_PARAGRAPH / 2) + "*")).not.toBeNull();
  });
});
