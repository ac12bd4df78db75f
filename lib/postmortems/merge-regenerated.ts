// Regeneration without losing a word anyone wrote. The document is compared section by section with what
// the last generation produced: a section still exactly as generated is replaced by its fresh version; a
// section someone changed, or added, stays as they left it; a generated section someone deleted stays
// deleted. Sections a newer template adds appear after the section that precedes them in the template.
import { joinSections, splitSections, type Section } from "./markdown-sections";

export function mergeRegenerated(current: string, previousGenerated: string, nextGenerated: string): string {
  const previous = new Map(splitSections(previousGenerated).map((s) => [s.key, s.text]));
  const next = splitSections(nextGenerated);
  const fresh = new Map(next.map((s) => [s.key, s]));

  const merged: Section[] = [];
  for (const section of splitSections(current)) {
    const untouched = previous.get(section.key) === section.text;
    if (!untouched) merged.push(section);
    else if (fresh.has(section.key)) merged.push(fresh.get(section.key)!);
  }

  const placed = (key: string) => merged.some((s) => s.key === key);
  next.forEach((section, index) => {
    if (previous.has(section.key) || placed(section.key)) return;
    const predecessor = next
      .slice(0, index)
      .reverse()
      .find((s) => placed(s.key));
    merged.splice(predecessor ? merged.findIndex((s) => s.key === predecessor.key) + 1 : 0, 0, section);
  });
  return joinSections(merged);
}
