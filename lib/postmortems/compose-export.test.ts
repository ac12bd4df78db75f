import { describe, expect, it } from "vitest";
import { composeExport, type ExportActionItem } from "./compose-export";
import { ACTION_ITEMS_PLACEHOLDER } from "./render-postmortem";

const item = (overrides: Partial<ExportActionItem> = {}): ExportActionItem => ({
  title: "Alert on cookie domain changes",
  owner: "Bob Responder",
  dueDate: "2026-12-05",
  status: "in_progress",
  ticket: { key: "OPS-24", url: "https://acme.atlassian.net/browse/OPS-24" },
  ...overrides,
});

describe("the exported postmortem", () => {
  it("lists the action items in place of the placeholder, keeping what people wrote in that section", () => {
    const markdown = `# PM\n\n## Action Items\n\n${ACTION_ITEMS_PLACEHOLDER}\n\nAlso: revisit the deploy checklist.\n\n## Lessons Learned\n\nx\n`;
    const exported = composeExport(markdown, [
      item(),
      item({ title: "Runbook | update", owner: null, dueDate: null, status: "open", ticket: null }),
    ]);
    expect(exported).toBe(
      [
        "# PM",
        "## Action Items",
        [
          "| Action | Owner | Due | Status | Ticket |",
          "| --- | --- | --- | --- | --- |",
          "| Alert on cookie domain changes | Bob Responder | 2026-12-05 | in progress | [OPS-24](https://acme.atlassian.net/browse/OPS-24) |",
          "| Runbook \\| update | — | — | open | — |",
        ].join("\n"),
        "Also: revisit the deploy checklist.",
        "## Lessons Learned",
        "x",
      ].join("\n\n") + "\n",
    );
  });

  it("says there are none when there are none, and adds the section when people removed it", () => {
    expect(composeExport(`## Action Items\n\n${ACTION_ITEMS_PLACEHOLDER}\n`, [])).toBe("## Action Items\n\n_None._\n");
    expect(composeExport("# PM\n", [item()])).toContain("# PM\n\n## Action Items\n\n| Action |");
  });
});
