import { describe, expect, it } from "vitest";
import { versionDiff } from "./version-diff";

describe("version diffs", () => {
  it("shows changed lines with context and folds the unchanged stretch between them", () => {
    const before = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].join("\n");
    const after = ["a", "B", "c", "d", "e", "f", "g", "h", "i", "J"].join("\n");
    expect(versionDiff(before, after, 1)).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "added", text: "B" },
      { kind: "same", text: "c" },
      { kind: "skipped", count: 5 },
      { kind: "same", text: "i" },
      { kind: "removed", text: "j" },
      { kind: "added", text: "J" },
    ]);
  });

  it("shows a first version as all added", () => {
    expect(versionDiff("", "x\ny")).toEqual([
      { kind: "added", text: "x" },
      { kind: "added", text: "y" },
    ]);
  });
});
