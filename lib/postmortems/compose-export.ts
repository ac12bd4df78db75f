// The postmortem as it leaves Vigil (export, preview): the document people wrote, with the structured
// action items listed in its Action Items section — in place of the generated placeholder, above
// anything people wrote there themselves.
import { joinSections, splitSections } from "./markdown-sections";
import { ACTION_ITEMS_PLACEHOLDER } from "./render-postmortem";
import type { ActionItem } from "./schemas";

export interface ExportActionItem {
  title: string;
  owner: string | null;
  dueDate: string | null;
  status: string;
  ticket: { key: string; url: string | null } | null;
}

const SECTION_KEY = "action items";

export function composeExport(markdown: string, items: ExportActionItem[]): string {
  const sections = splitSections(markdown);
  const listed = items.length ? actionItemTable(items) : "_None._";
  const index = sections.findIndex((s) => s.key === SECTION_KEY);
  if (index === -1) {
    if (items.length) sections.push({ key: SECTION_KEY, text: `## Action Items\n\n${listed}` });
    return joinSections(sections);
  }
  const [heading = "## Action Items", ...body] = sections[index]!.text.split("\n");
  const written = body
    .filter((line) => line.trim() !== ACTION_ITEMS_PLACEHOLDER)
    .join("\n")
    .trim();
  sections[index] = { key: SECTION_KEY, text: [heading, listed, written].filter(Boolean).join("\n\n") };
  return joinSections(sections);
}

function actionItemTable(items: ExportActionItem[]): string {
  const cell = (text: string) =>
    text
      .replace(/\s*\n\s*/g, " ")
      .replaceAll("|", "\\|")
      .trim();
  const rows = items.map((item) => {
    const ticket = item.ticket
      ? item.ticket.url
        ? `[${cell(item.ticket.key)}](${item.ticket.url.replace(/[()\s]/g, encodeURIComponent)})`
        : cell(item.ticket.key)
      : "—";
    return `| ${cell(item.title)} | ${cell(item.owner ?? "—")} | ${item.dueDate ?? "—"} | ${item.status.replaceAll("_", " ")} | ${ticket} |`;
  });
  return ["| Action | Owner | Due | Status | Ticket |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}

/** The export of a postmortem as the API shows it (also the editor's preview, so both always agree). */
export function composePostmortemExport(markdown: string, items: ActionItem[]): string {
  return composeExport(
    markdown,
    items.map((item) => ({
      title: item.title,
      owner: item.owner?.name ?? null,
      dueDate: item.due_date,
      status: item.status,
      ticket: item.ticket.key ? { key: item.ticket.key, url: item.ticket.url } : null,
    })),
  );
}
