// A loopback fake of GitHub's issues API (`POST <url>/repos/{owner}/{repo}/issues`, JSON): it checks the
// Bearer token, `Accept: application/vnd.github+json` and `X-GitHub-Api-Version: 2022-11-28`, validates
// the body as GitHub does (422 "Validation Failed" with `errors`), answers 410 for a repository whose
// issues are disabled, and 201 with the issue (number, html_url, state…) like the real one.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerControl,
  answerThroughPlan,
  closeHttpServer,
  fakeControl,
  FailurePlans,
  now,
  readBody,
  sendJson,
  startHttpServer,
  type Answer,
  type Fake,
  type FakeControl,
  type Recorded,
} from "./fake-server";

export interface GitHubIssue {
  number: number;
  repo: string;
  title: string;
  body: string | null;
  labels: string[];
  assignees: string[];
  state: "open";
  html_url: string;
  createdAt: string;
}

export interface GitHubReceived extends Recorded {
  path: string;
  /** Whether the Bearer token matched. */
  authorized: boolean;
  /** The Accept and X-GitHub-Api-Version headers as sent. */
  accept: string | null;
  apiVersion: string | null;
  body: unknown;
  issueNumber?: number;
  /** GitHub's error answer, when it refused the request itself. */
  error?: GitHubErrorBody;
}

export interface GitHubErrorBody {
  message: string;
  errors?: { resource: string; field: string; code: string; value?: unknown }[];
  documentation_url: string;
  status: string;
}

export interface FakeGitHub extends Fake<GitHubReceived> {
  issues(): GitHubIssue[];
}

const docs = "https://docs.github.com/rest/issues/issues#create-an-issue";
const githubError = (status: number, message: string, errors?: GitHubErrorBody["errors"]): GitHubErrorBody => ({
  message,
  ...(errors ? { errors } : {}),
  documentation_url: docs,
  status: String(status),
});
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const stringArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");

/** GitHub's validation of a new issue; null when valid. */
export function gitHubIssueProblems(body: unknown, knownUsers: readonly string[]): GitHubErrorBody | null {
  if (!isRecord(body)) return githubError(400, "Problems parsing JSON");
  const errors: NonNullable<GitHubErrorBody["errors"]> = [];
  if (body.title === undefined || body.title === null)
    errors.push({ resource: "Issue", field: "title", code: "missing_field" });
  else if (typeof body.title !== "string" || body.title.trim() === "")
    errors.push({ resource: "Issue", field: "title", code: "invalid", value: body.title });
  if (body.body !== undefined && body.body !== null && typeof body.body !== "string")
    errors.push({ resource: "Issue", field: "body", code: "invalid", value: body.body });
  if (body.labels !== undefined && !stringArray(body.labels))
    errors.push({ resource: "Issue", field: "labels", code: "invalid", value: body.labels });
  if (body.assignees !== undefined) {
    if (!stringArray(body.assignees))
      errors.push({ resource: "Issue", field: "assignees", code: "invalid", value: body.assignees });
    else
      for (const login of body.assignees as string[])
        if (!knownUsers.includes(login))
          errors.push({ resource: "Issue", field: "assignees", code: "invalid", value: login });
  }
  return errors.length ? githubError(422, "Validation Failed", errors) : null;
}

function failureBody(status: number): GitHubErrorBody {
  if (status === 401) return githubError(401, "Bad credentials");
  if (status === 403) return githubError(403, "Resource not accessible by personal access token");
  if (status === 404) return githubError(404, "Not Found");
  if (status === 410) return githubError(410, "Issues are disabled for this repo");
  if (status === 422)
    return githubError(422, "Validation Failed", [{ resource: "Issue", field: "title", code: "missing_field" }]);
  if (status === 429) return githubError(429, "API rate limit exceeded");
  return githubError(status, "Server Error (fake)");
}

export async function startFakeGitHub(options: {
  port?: number;
  token: string;
  repos?: string[];
  issuesDisabled?: string[];
  users?: string[];
}): Promise<FakeGitHub> {
  const repos = options.repos ?? ["acme/platform"];
  const disabled = options.issuesDisabled ?? [];
  const users = options.users ?? ["octocat"];
  const received: GitHubReceived[] = [];
  const plans = new FailurePlans();
  const issues: GitHubIssue[] = [];
  let url = "";

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (await answerControl(req, res, controls)) return;
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const match = /^\/repos\/([\w.-]+)\/([\w.-]+)\/issues$/.exec(path);
    if (req.method !== "POST" || !match) return sendJson(res, 404, githubError(404, "Not Found"));
    const repo = `${match[1]}/${match[2]}`;
    const text = (await readBody(req)).toString("utf8");
    let body: unknown = text;
    let parsed = true;
    try {
      body = JSON.parse(text);
    } catch {
      parsed = false;
    }
    const authorized = req.headers.authorization === `Bearer ${options.token}`;
    const accept = req.headers.accept ?? null;
    const apiVersion = (req.headers["x-github-api-version"] as string | undefined) ?? null;

    await answerThroughPlan(
      res,
      plans.take([repo]),
      (status) => ({ status, body: failureBody(status) }),
      (): Answer => {
        if (!authorized) return { status: 401, body: failureBody(401) };
        // The real API tolerates other Accept values; the fake insists, so a client that drops it is caught.
        if (accept !== "application/vnd.github+json")
          return {
            status: 415,
            body: githubError(
              415,
              `Unsupported 'Accept' header: ${JSON.stringify(accept)}. Send application/vnd.github+json`,
            ),
          };
        if (apiVersion !== "2022-11-28")
          return { status: 400, body: githubError(400, `API version ${JSON.stringify(apiVersion)} is not supported.`) };
        if (!repos.includes(repo)) return { status: 404, body: failureBody(404) };
        if (disabled.includes(repo)) return { status: 410, body: failureBody(410) };
        const problem = parsed ? gitHubIssueProblems(body, users) : githubError(400, "Problems parsing JSON");
        if (problem) return { status: Number(problem.status), body: problem };
        const b = body as { title: string; body?: string | null; labels?: string[]; assignees?: string[] };
        const number = issues.filter((i) => i.repo === repo).length + 1;
        const issue: GitHubIssue = {
          number,
          repo,
          title: b.title,
          body: b.body ?? null,
          labels: b.labels ?? [],
          assignees: b.assignees ?? [],
          state: "open",
          html_url: `${url}/${repo}/issues/${number}`,
          createdAt: now(),
        };
        issues.push(issue);
        return {
          status: 201,
          body: {
            id: 1_000_000 + issues.length,
            number,
            title: issue.title,
            body: issue.body,
            state: "open",
            labels: issue.labels.map((name) => ({ name })),
            assignees: issue.assignees.map((login) => ({ login })),
            url: `${url}/repos/${repo}/issues/${number}`,
            html_url: issue.html_url,
            created_at: issue.createdAt,
          },
          headers: { Location: `${url}/repos/${repo}/issues/${number}` },
        };
      },
      (answer, flags) => {
        const reply = answer.body as { number?: number } & Partial<GitHubErrorBody>;
        received.push({
          at: now(),
          status: answer.status,
          ...flags,
          path,
          authorized,
          accept,
          apiVersion,
          body,
          ...(answer.status === 201 ? { issueNumber: reply.number } : {}),
          ...(answer.status >= 400 && flags.failedWith === undefined ? { error: reply as GitHubErrorBody } : {}),
        });
      },
    );
  };

  const reset = () => {
    received.length = 0;
    plans.clear();
    issues.length = 0;
  };
  const controls = {
    received: () => received,
    fail: plans.add.bind(plans),
    reset,
    routes: { "GET issues": () => issues },
  };
  const server = await startHttpServer(options.port, handle);
  url = server.url;
  return {
    url,
    received,
    fail: (plan) => plans.add(plan),
    reset,
    close: () => closeHttpServer(server.server),
    issues: () => structuredClone(issues),
  };
}

export interface GitHubControl extends FakeControl<GitHubReceived> {
  issues(): Promise<GitHubIssue[]>;
}

/** From a spec in another process: the GitHub fake's control routes (url: the fake's base URL). */
export function gitHubControl(url: string): GitHubControl {
  const control = fakeControl<GitHubReceived>(url);
  return { ...control, issues: () => control.get<GitHubIssue[]>("issues") };
}
