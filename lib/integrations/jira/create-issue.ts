// Jira Cloud REST v3: create an issue (`POST /rest/api/3/issue`, Basic email:API token, ADF description).
// A refusal carries Jira's own words (`errorMessages` and per-field `errors`), which people get to see.
import { deliveryErrorForNetwork, deliveryErrorForStatus, VENDOR_TIMEOUT_MS } from "../delivery-error";
import type { AdfDocument } from "./adf";

export interface JiraSettings {
  url: string;
  email: string;
  apiToken: string;
  project: string;
}

export interface NewJiraIssue {
  summary: string;
  description: AdfDocument;
  labels: string[];
}

export async function createJiraIssue(
  settings: JiraSettings,
  issue: NewJiraIssue,
): Promise<{ key: string; url: string }> {
  const body = {
    fields: {
      project: { key: settings.project },
      issuetype: { name: "Task" },
      // Jira's limit for a summary is 255 characters.
      summary: issue.summary.slice(0, 255),
      labels: issue.labels,
      description: issue.description,
    },
  };
  let res: Response;
  try {
    res = await fetch(`${settings.url}/rest/api/3/issue`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${settings.email}:${settings.apiToken}`).toString("base64")}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
    });
  } catch (error) {
    throw deliveryErrorForNetwork("Jira", error);
  }
  const answer = (await res.json().catch(() => ({}))) as {
    key?: string;
    errorMessages?: string[];
    errors?: Record<string, string>;
  };
  if (res.status !== 201 || !answer.key) {
    throw deliveryErrorForStatus("Jira", res.status, jiraErrorText(answer), res.headers.get("retry-after"));
  }
  return { key: answer.key, url: `${settings.url}/browse/${answer.key}` };
}

/** "Field 'x' is required (summary); Project does not exist" — Jira's messages, each field named. */
export function jiraErrorText(answer: { errorMessages?: string[]; errors?: Record<string, string> }): string {
  const messages = Array.isArray(answer.errorMessages) ? answer.errorMessages : [];
  const fields =
    answer.errors && typeof answer.errors === "object"
      ? Object.entries(answer.errors).map(([field, message]) => `${field}: ${message}`)
      : [];
  return [...messages, ...fields].join("; ");
}
