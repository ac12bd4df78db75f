// What a follow-up ticket says, in each tracker's own form: Jira gets an ADF description, GitHub a
// markdown body. Both link back to the postmortem and name the owner and due date.
import { createGitHubIssue } from "../integrations/github/create-issue";
import { adfDocument, adfText } from "../integrations/jira/adf";
import { createJiraIssue } from "../integrations/jira/create-issue";
import type { TrackerSettings } from "./postmortem-settings";

export interface TicketContent {
  title: string;
  incidentRef: string;
  incidentTitle: string;
  postmortemUrl: string;
  owner: string | null;
  dueDate: string | null;
}

const labels = ["incident", "postmortem"];

export async function fileTicket(
  tracker: TrackerSettings,
  content: TicketContent,
): Promise<{ key: string; url: string }> {
  const { incidentRef, incidentTitle, postmortemUrl, owner, dueDate } = content;
  const facts = [owner ? `Owner: ${owner}.` : "", dueDate ? `Due: ${dueDate}.` : ""].filter(Boolean).join(" ");
  if (tracker.kind === "jira") {
    const description = adfDocument([
      [
        adfText("Action item from the "),
        adfText(`postmortem of ${incidentRef}`, postmortemUrl),
        adfText(`: ${incidentTitle}`),
      ],
      [adfText(facts)],
    ]);
    return createJiraIssue(tracker.jira, { summary: content.title, description, labels });
  }
  const list = [owner ? `- **Owner:** ${owner}` : "", dueDate ? `- **Due:** ${dueDate}` : ""]
    .filter(Boolean)
    .join("\n");
  const body = [`Action item from the [postmortem of ${incidentRef}](${postmortemUrl}): ${incidentTitle}`, list]
    .filter(Boolean)
    .join("\n\n");
  return createGitHubIssue(tracker.github, { title: content.title, body, labels });
}
