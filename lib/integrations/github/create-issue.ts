// GitHub's issues API: `POST /repos/{owner}/{repo}/issues` with a Bearer token and the versioned media
// type. A refusal carries GitHub's own words (`message`, and `errors` for a 422), which people get to see.
import { deliveryErrorForNetwork, deliveryErrorForStatus, VENDOR_TIMEOUT_MS } from "../delivery-error";

export interface GitHubSettings {
  apiUrl: string;
  token: string;
  /** owner/name */
  repo: string;
}

export interface NewGitHubIssue {
  title: string;
  body: string;
  labels: string[];
}

export async function createGitHubIssue(
  settings: GitHubSettings,
  issue: NewGitHubIssue,
): Promise<{ key: string; url: string }> {
  let res: Response;
  try {
    res = await fetch(`${settings.apiUrl}/repos/${settings.repo}/issues`, {
      method: "POST",
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${settings.token}`,
        "x-github-api-version": "2022-11-28",
        "content-type": "application/json",
        // GitHub refuses requests without a User-Agent.
        "user-agent": "Vigil",
      },
      body: JSON.stringify({ title: issue.title.slice(0, 256), body: issue.body, labels: issue.labels }),
      signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
    });
  } catch (error) {
    throw deliveryErrorForNetwork("GitHub", error);
  }
  const answer = (await res.json().catch(() => ({}))) as GitHubAnswer;
  if (res.status !== 201 || typeof answer.number !== "number") {
    throw deliveryErrorForStatus("GitHub", res.status, gitHubErrorText(answer), res.headers.get("retry-after"));
  }
  return {
    key: `${settings.repo}#${answer.number}`,
    url: answer.html_url ?? `${settings.apiUrl}/repos/${settings.repo}/issues/${answer.number}`,
  };
}

interface GitHubAnswer {
  number?: number;
  html_url?: string;
  message?: string;
  errors?: ({ resource?: string; field?: string; code?: string; message?: string } | string)[];
}

/** "Validation Failed: Issue.title missing_field" — GitHub's message, then each error it lists. */
export function gitHubErrorText(answer: GitHubAnswer): string {
  const errors = (Array.isArray(answer.errors) ? answer.errors : []).map((e) =>
    typeof e === "string"
      ? e
      : (e.message ??
        [e.resource && e.field ? `${e.resource}.${e.field}` : (e.resource ?? e.field), e.code]
          .filter(Boolean)
          .join(" ")),
  );
  return [answer.message, errors.join("; ")].filter(Boolean).join(": ");
}
