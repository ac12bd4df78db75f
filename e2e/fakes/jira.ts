// A loopback fake of Jira Cloud's REST v3 issue creation (`POST <url>/rest/api/3/issue`, JSON): it checks
// Basic email:API token, the project and issue type, the summary and that the description is an Atlassian
// Document, answers 201 {id, key, self} like the real one, and refuses with Jira's error shape
// `{"errorMessages": [...], "errors": {field: message}}`.
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

export interface JiraIssue {
  id: string;
  key: string;
  project: string;
  issueType: string;
  summary: string;
  labels: string[];
  /** The ADF document as sent. */
  description: unknown;
  createdAt: string;
}

export interface JiraReceived extends Recorded {
  path: string;
  /** Whether Basic auth matched the fake's email:API token. */
  authorized: boolean;
  /** The JSON body as sent (the raw text when it was not JSON). */
  body: unknown;
  /** Set when the fake created an issue (201). */
  issueKey?: string;
  /** Jira's error answer, when it refused the request itself. */
  errors?: { errorMessages: string[]; errors: Record<string, string> };
}

export interface FakeJira extends Fake<JiraReceived> {
  issues(): JiraIssue[];
}

export interface JiraErrorBody {
  errorMessages: string[];
  errors: Record<string, string>;
}

const jiraError = (errorMessages: string[], errors: Record<string, string> = {}): JiraErrorBody => ({
  errorMessages,
  errors,
});
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Is this an ADF document whose every node has a type and whose text nodes carry text? */
export function isAdfDocument(value: unknown): boolean {
  if (!isRecord(value) || value.type !== "doc" || value.version !== 1 || !Array.isArray(value.content)) return false;
  const nodeOk = (node: unknown): boolean => {
    if (!isRecord(node) || typeof node.type !== "string") return false;
    if (node.type === "text") return typeof node.text === "string" && node.text.length > 0;
    return node.content === undefined || (Array.isArray(node.content) && node.content.every(nodeOk));
  };
  return value.content.every(nodeOk);
}

/** Jira's checks on a create-issue body, with its wording where known; an empty `errors` means valid. */
export function jiraIssueProblems(body: unknown, projects: readonly string[]): JiraErrorBody {
  if (!isRecord(body) || !isRecord(body.fields))
    return jiraError(["Unrecognized token: the request body must be a JSON object with `fields`"]);
  const f = body.fields;
  const errors: Record<string, string> = {};
  const project = isRecord(f.project) ? f.project.key : undefined;
  if (typeof project !== "string" || !projects.includes(project)) errors.project = "valid project is required";
  const issueType = isRecord(f.issuetype) ? f.issuetype.name : undefined;
  if (typeof issueType !== "string" || !["Task", "Bug", "Story"].includes(issueType))
    errors.issuetype = "Specify a valid issue type";
  if (typeof f.summary !== "string" || f.summary.trim() === "")
    errors.summary = "You must specify a summary of the issue.";
  else if (f.summary.length > 255) errors.summary = "Summary must be less than 255 characters.";
  if (f.description !== undefined && !isAdfDocument(f.description))
    errors.description = "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
  if (
    f.labels !== undefined &&
    (!Array.isArray(f.labels) || !f.labels.every((l) => typeof l === "string" && l !== "" && !/\s/.test(l)))
  ) {
    errors.labels = "The label must not contain spaces.";
  }
  return jiraError([], errors);
}

/** What a failure plan's status answers when it brings no body of its own. */
function failureBody(status: number): JiraErrorBody {
  if (status === 400) return jiraError([], { summary: "You must specify a summary of the issue." });
  if (status === 401)
    return jiraError(["You are not authenticated. Authentication required to perform this operation."]);
  if (status === 403) return jiraError(["You do not have permission to create issues in this project."]);
  if (status === 410) return jiraError(["This Jira site is no longer available."]);
  if (status === 429) return jiraError(["Rate limit exceeded."]);
  return jiraError(["Internal server error (fake)"]);
}

export async function startFakeJira(options: {
  port?: number;
  email: string;
  apiToken: string;
  projects?: string[];
}): Promise<FakeJira> {
  const projects = options.projects ?? ["OPS"];
  const received: JiraReceived[] = [];
  const plans = new FailurePlans();
  const issues: JiraIssue[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString("base64")}`;
  let counter = 0;
  let url = "";

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (await answerControl(req, res, controls)) return;
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (req.method !== "POST" || path !== "/rest/api/3/issue")
      return sendJson(res, 404, jiraError([`No route ${req.method} ${path} (fake)`]));
    const text = (await readBody(req)).toString("utf8");
    let body: unknown = text;
    let parsed = true;
    try {
      body = JSON.parse(text);
    } catch {
      parsed = false;
    }
    const authorized = req.headers.authorization === expectedAuth;
    const isJson = (req.headers["content-type"] ?? "").startsWith("application/json");

    await answerThroughPlan(
      res,
      plans.take(["create_issue"]),
      (status) => ({ status, body: failureBody(status) }),
      (): Answer => {
        if (!authorized)
          return {
            status: 401,
            body: failureBody(401),
            headers: { "WWW-Authenticate": 'Basic realm="protected-area"' },
          };
        if (!isJson) return { status: 415, body: jiraError(["Unsupported media type: send application/json"]) };
        const problems = parsed
          ? jiraIssueProblems(body, projects)
          : jiraError(["Unexpected character: the body is not JSON"]);
        if (problems.errorMessages.length || Object.keys(problems.errors).length)
          return { status: 400, body: problems };
        const fields = (body as { fields: Record<string, unknown> }).fields;
        const project = (fields.project as { key: string }).key;
        const id = String(10000 + ++counter);
        const key = `${project}-${counter}`;
        issues.push({
          id,
          key,
          project,
          issueType: (fields.issuetype as { name: string }).name,
          summary: fields.summary as string,
          labels: (fields.labels as string[] | undefined) ?? [],
          description: fields.description,
          createdAt: now(),
        });
        return { status: 201, body: { id, key, self: `${url}/rest/api/3/issue/${id}` } };
      },
      (answer, flags) => {
        const reply = answer.body as { key?: string; errorMessages?: string[]; errors?: Record<string, string> };
        received.push({
          at: now(),
          status: answer.status,
          ...flags,
          path,
          authorized,
          body,
          ...(answer.status === 201 ? { issueKey: reply.key } : {}),
          ...(answer.status >= 400 && flags.failedWith === undefined
            ? { errors: { errorMessages: reply.errorMessages ?? [], errors: reply.errors ?? {} } }
            : {}),
        });
      },
    );
  };

  const reset = () => {
    received.length = 0;
    plans.clear();
    issues.length = 0;
    counter = 0;
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

export interface JiraControl extends FakeControl<JiraReceived> {
  issues(): Promise<JiraIssue[]>;
}

/** From a spec in another process: the Jira fake's control routes (url: the fake's base URL). */
export function jiraControl(url: string): JiraControl {
  const control = fakeControl<JiraReceived>(url);
  return { ...control, issues: () => control.get<JiraIssue[]>("issues") };
}
