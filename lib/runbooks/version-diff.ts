// What changed between two versions of a runbook, line by line, for the history page: changed lines with a
// few lines of context around them, long unchanged stretches folded. Pure (the `diff` package).
import { diffLines } from "diff";

export type DiffLine = { kind: "added" | "removed" | "same"; text: string } | { kind: "skipped"; count: number };

export function versionDiff(before: string, after: string, context = 3): DiffLine[] {
  const lines: { kind: "added" | "removed" | "same"; text: string }[] = [];
  for (const part of diffLines(before, after)) {
    const kind = part.added ? "added" : part.removed ? "removed" : "same";
    const texts = part.value.replace(/\n$/, "").split("\n");
    for (const text of texts) lines.push({ kind, text });
  }
  const near = lines.map((_, i) =>
    lines.slice(Math.max(0, i - context), i + context + 1).some((l) => l.kind !== "same"),
  );
  const out: DiffLine[] = [];
  lines.forEach((line, i) => {
    if (line.kind !== "same" || near[i]) return void out.push(line);
    const last = out.at(-1);
    if (last?.kind === "skipped") last.count++;
    else out.push({ kind: "skipped", count: 1 });
  });
  return out;
}
