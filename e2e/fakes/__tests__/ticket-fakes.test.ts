// The Jira and GitHub fakes speak their vendors' wire formats: checked with Vigil's own clients (which
// must pass), and with raw requests that leave out what the real services insist on (which must not).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeliveryError } from "@/lib/integrations/delivery-error";
import { createGitHubIssue } from "@/lib/integrations/github/create-issue";
import { adfDocument, adfText } from "@/lib/integrations/jira/adf";
import { createJiraIssue } from "@/lib/integrations/jira/create-issue";
import { gitHubControl, jiraControl, startFakeGitHub, startFakeJira, type FakeGitHub, type FakeJira } from "../index";

const failure = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    if (error instanceof DeliveryError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
};

describe("Jira fake", () => {
  let jira: FakeJira;
  const settings = () => ({ url: jira.url, email: "bot@acme.com", apiToken: "jira-token", project: "OPS" });
  const description = adfDocument([
    [adfText("From the "), adfText("postmortem", "http://localhost:3000/postmortems/1")],
  ]);
  beforeAll(async () => {
    jira = await startFakeJira({ email: "bot@acme.com", apiToken: "jira-token", projects: ["OPS"] });
  });
  beforeEach(() => jira.reset());
  afterAll(() => jira.close());

  it("creates an issue from Basic email:token and an ADF description, answering 201 with its key", async () => {
    const created = await createJiraIssue(settings(), {
      summary: "Alert on cookie domain changes",
      description,
      labels: ["incident"],
    });
    expect(created).toEqual({ key: "OPS-1", url: `${jira.url}/browse/OPS-1` });
    expect(jira.issues()).toEqual([
      expect.objectContaining({
        key: "OPS-1",
        project: "OPS",
        issueType: "Task",
        summary: "Alert on cookie domain changes",
        labels: ["incident"],
        description,
      }),
    ]);
    expect(jira.received[0]).toMatchObject({ status: 201, authorized: true, issueKey: "OPS-1" });
  });

  it("refuses wrong credentials with 401 and creates nothing", async () => {
    const error = await failure(
      createJiraIssue({ ...settings(), apiToken: "wrong" }, { summary: "x", description, labels: [] }),
    );
    expect(error).toMatchObject({
      permanent: true,
      message: "Jira answered HTTP 401: You are not authenticated. Authentication required to perform this operation.",
    });
    expect(jira.issues()).toEqual([]);
  });

  it("answers 400 in Jira's shape for an unknown project, an empty summary and a description that is not ADF", async () => {
    const res = await fetch(`${jira.url}/rest/api/3/issue`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from("bot@acme.com:jira-token").toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        fields: { project: { key: "NOPE" }, issuetype: { name: "Task" }, summary: " ", description: "plain text" },
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errorMessages: [],
      errors: {
        project: "valid project is required",
        summary: "You must specify a summary of the issue.",
        description: expect.stringContaining("Atlassian Document"),
      },
    });
  });

  it("fails on demand with Jira's error body, which the client passes on word for word", async () => {
    await jiraControl(jira.url).fail({
      times: 1,
      status: 400,
      body: {
        errorMessages: ["Issue type is not valid for project OPS"],
        errors: { duedate: "Field 'duedate' cannot be set." },
      },
    });
    const error = await failure(createJiraIssue(settings(), { summary: "x", description, labels: [] }));
    expect(error.message).toBe(
      "Jira answered HTTP 400: Issue type is not valid for project OPS; duedate: Field 'duedate' cannot be set.",
    );
    expect(error.permanent).toBe(true);
    jira.fail({ times: 1, status: 503 });
    expect((await failure(createJiraIssue(settings(), { summary: "x", description, labels: [] }))).permanent).toBe(
      false,
    );
  });
});

describe("GitHub fake", () => {
  let github: FakeGitHub;
  const settings = () => ({ apiUrl: github.url, token: "ghp_test", repo: "acme/platform" });
  beforeAll(async () => {
    github = await startFakeGitHub({
      token: "ghp_test",
      repos: ["acme/platform", "acme/closed"],
      issuesDisabled: ["acme/closed"],
    });
  });
  beforeEach(() => github.reset());
  afterAll(() => github.close());

  it("creates an issue with the Bearer token, GitHub's media type and API version, answering 201", async () => {
    const created = await createGitHubIssue(settings(), {
      title: "Alert on cookie domain changes",
      body: "From the postmortem",
      labels: ["incident"],
    });
    expect(created).toEqual({ key: "acme/platform#1", url: `${github.url}/acme/platform/issues/1` });
    expect(github.received[0]).toMatchObject({
      status: 201,
      authorized: true,
      accept: "application/vnd.github+json",
      apiVersion: "2022-11-28",
      issueNumber: 1,
    });
    expect(github.issues()[0]).toMatchObject({
      title: "Alert on cookie domain changes",
      body: "From the postmortem",
      labels: ["incident"],
      state: "open",
    });
  });

  it("checks the headers the real API documents", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${github.url}/repos/acme/platform/issues`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ title: "x" }),
      });
    const full = {
      authorization: "Bearer ghp_test",
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
    };
    expect((await post({ ...full, authorization: "Bearer wrong" })).status).toBe(401);
    expect((await post({ ...full, accept: "application/json" })).status).toBe(415);
    expect((await post({ ...full, "x-github-api-version": "2021-01-01" })).status).toBe(400);
    expect((await post(full)).status).toBe(201);
  });

  it("answers 422 Validation Failed naming the field, and the client passes GitHub's words on", async () => {
    const error = await failure(createGitHubIssue(settings(), { title: "", body: "b", labels: [] }));
    expect(error.message).toBe("GitHub answered HTTP 422: Validation Failed: Issue.title invalid");
    expect(error.permanent).toBe(true);
    expect(github.received[0]?.error?.errors).toEqual([
      { resource: "Issue", field: "title", code: "invalid", value: "" },
    ]);
  });

  it("answers 410 when the repository's issues are disabled, and fails on demand", async () => {
    const gone = await failure(
      createGitHubIssue({ ...settings(), repo: "acme/closed" }, { title: "x", body: "", labels: [] }),
    );
    expect(gone.message).toBe("GitHub answered HTTP 410: Issues are disabled for this repo");
    await gitHubControl(github.url).fail({ times: 1, status: 422 });
    expect((await failure(createGitHubIssue(settings(), { title: "x", body: "", labels: [] }))).message).toBe(
      "GitHub answered HTTP 422: Validation Failed: Issue.title missing_field",
    );
    expect(await gitHubControl(github.url).issues()).toEqual([]);
  });
});
