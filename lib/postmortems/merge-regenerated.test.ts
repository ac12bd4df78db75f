import { describe, expect, it } from "vitest";
import { splitSections } from "./markdown-sections";
import { mergeRegenerated } from "./merge-regenerated";

const doc = (timeline: string, rootCause = "_To be filled in._", extra = "") =>
  `# Incident Postmortem: [INC-1] Checkout down\n\n- **Duration:** 10m\n\n## Timeline\n\n${timeline}\n\n## Root Cause\n\n${rootCause}\n${extra}`;

describe("splitting a postmortem into sections", () => {
  it("splits at level-2 headings only, keeping the preamble and sub-headings in place", () => {
    const sections = splitSections(
      "# Title\n\nfacts\n\n## Timeline\n\nrows\n\n### Detail\n\nmore\n\n## Root Cause\n\ncause\n",
    );
    expect(sections).toEqual([
      { key: "", text: "# Title\n\nfacts" },
      { key: "timeline", text: "## Timeline\n\nrows\n\n### Detail\n\nmore" },
      { key: "root cause", text: "## Root Cause\n\ncause" },
    ]);
  });

  it("ignores headings inside fenced code and numbers repeated headings", () => {
    const keys = splitSections("## Notes\n\n```\n## not a heading\n```\n\n## Notes\n\nsecond\n").map((s) => s.key);
    expect(keys).toEqual(["notes", "notes#2"]);
  });

  it("splits a document of hostile headings in milliseconds", () => {
    // `## x`, 2,500 spaces and a letter took seconds with the old heading pattern, while a save held the postmortem's row lock.
    const started = performance.now();
    const sections = splitSections(`## x${" ".repeat(2_500)}y\n\ntext\n`.repeat(20));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(sections.map((s) => s.key)).toHaveLength(20);
  });

  it("reads Windows line endings like Unix ones", () => {
    expect(splitSections("## A\r\n\r\ntext\r\n")).toEqual([{ key: "a", text: "## A\n\ntext" }]);
  });
});

describe("regenerating a postmortem", () => {
  const before = doc("| 10:00 | created |");
  const after = doc("| 10:00 | created |\n| 10:05 | Note: rolled back |");

  it("refreshes every section nobody edited", () => {
    expect(mergeRegenerated(before, before, after)).toBe(after);
  });

  it("keeps a section someone edited, word for word, and refreshes the rest", () => {
    const edited = doc("| 10:00 | created |", "The deploy changed the cookie domain.");
    expect(mergeRegenerated(edited, before, after)).toBe(
      doc("| 10:00 | created |\n| 10:05 | Note: rolled back |", "The deploy changed the cookie domain."),
    );
  });

  it("never replaces an edited generated section, even when the incident's record grew", () => {
    const editedTimeline = doc("| 10:00 | created (by the on-call) |");
    expect(mergeRegenerated(editedTimeline, before, after)).toBe(editedTimeline);
  });

  it("keeps sections people added, where they put them", () => {
    const added = doc(
      "| 10:00 | created |",
      "_To be filled in._",
      "\n## What we told customers\n\nA status page update at 10:07.\n",
    );
    const merged = mergeRegenerated(added, before, after);
    expect(merged).toContain("## What we told customers\n\nA status page update at 10:07.");
    expect(merged).toContain("| 10:05 | Note: rolled back |");
    expect(merged.indexOf("## What we told customers")).toBeGreaterThan(merged.indexOf("## Root Cause"));
  });

  it("does not bring back a generated section someone deleted", () => {
    const withoutTimeline =
      "# Incident Postmortem: [INC-1] Checkout down\n\n- **Duration:** 10m\n\n## Root Cause\n\n_To be filled in._\n";
    expect(mergeRegenerated(withoutTimeline, before, after)).not.toContain("## Timeline");
  });

  it("adds a section a newer template brought, after the one before it in the template", () => {
    const newer = after.replace("## Root Cause", "## Detection\n\nDetected by an alert.\n\n## Root Cause");
    const merged = mergeRegenerated(before, before, newer);
    expect(merged).toBe(newer);
  });

  it("treats differences in blank lines at the end as no edit", () => {
    expect(mergeRegenerated(`${before}\n\n\n`, before, after)).toBe(after);
  });
});
