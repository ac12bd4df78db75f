// Postmortems in Chromium, with the real worker and the Jira fake: bob resolves an incident, opens the
// draft the worker wrote, edits it, files one action item in Jira (and sees Jira's own error for another),
// and publishes it; the link reaches the incident's Slack thread both times. carol reads it and cannot edit.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { jiraControl, slackControl } from "./fakes";
import { requireChromium } from "./support/browser";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN, readE2eState } from "./support/state";

test.beforeEach(() => requireChromium());
const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("bob resolves an incident, edits the worker's draft, files an action item in Jira and publishes", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const { appUrl, workerEnv, fakes } = readE2eState();
  const jira = jiraControl(workerEnv.JIRA_URL!);
  const slack = slackControl(fakes.slack);
  const title = `Checkout 5xx above 5% ${Date.now()}`;
  const incident = await (
    await request.post("/api/v1/incidents", { headers: auth, data: { title, severity: "P2", service: "checkout" } })
  ).json();

  await signInAs(page, "bob", `/incidents/${incident.ref}`);
  await page.getByRole("button", { name: "Resolve…" }).click();
  await page.getByLabel("Resolution note").fill("Rolled back checkout to yesterday's build");
  await page.getByRole("button", { name: "Resolve", exact: true }).click();
  await expect(page.getByText("Resolution: Rolled back checkout to yesterday's build")).toBeVisible();

  // The worker writes the draft a few seconds after the resolve.
  const link = page.getByTestId("postmortem-link").getByRole("link", { name: "Postmortem" });
  await expect(async () => {
    await page.reload();
    await expect(link).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 45_000, intervals: [1_000] });
  await link.click();
  await expect(page.getByRole("heading", { name: `Postmortem: ${title}` })).toBeVisible();
  await expect(page.getByTestId("postmortem-status")).toHaveText("draft");
  const postmortemUrl = page.url();
  expect(postmortemUrl).toMatch(/\/postmortems\/[0-9a-f-]{36}$/);
  await expect
    .poll(async () => (await slack.messagesIn("#incidents-critical")).map((m) => m.text), { timeout: 20_000 })
    .toContainEqual(`Postmortem draft for ${incident.ref} is ready: ${appUrl}${new URL(postmortemUrl).pathname}`);

  const preview = page.getByTestId("markdown-preview");
  await expect(preview.getByRole("heading", { name: `Incident Postmortem: [${incident.ref}] ${title}` })).toBeVisible();
  await expect(preview).toContainText("Rolled back checkout to yesterday's build");
  const editor = page.getByLabel("Postmortem markdown");
  const draft = await editor.inputValue();
  await editor.fill(
    draft.replace(
      /## Root Cause\n\n[^\n]*/,
      "## Root Cause\n\nThe 14:02 deploy dropped the payment provider's retry setting.",
    ),
  );
  await expect(preview).toContainText("The 14:02 deploy dropped the payment provider's retry setting.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("revision-row")).toHaveCount(2);
  await expect(page.getByTestId("revision-row").first()).toContainText("Bob Responder");
  await expectNoSeriousAxeViolations(page);

  const items = page.getByTestId("action-item-row");
  const addItem = async (what: string) => {
    await page.getByLabel("New action item").fill(what);
    await page.getByLabel("Owner", { exact: true }).fill("bob@example.com");
    await page.getByLabel("Due", { exact: true }).fill("2030-01-15");
    await page.getByRole("button", { name: "Add action item" }).click();
    await expect(items.filter({ has: page.locator(`input[value="${what}"]`) })).toHaveCount(1);
    return items.filter({ has: page.locator(`input[value="${what}"]`) });
  };
  const retries = await addItem("Restore the retry setting in the deploy template");
  await retries.getByRole("button", { name: "Create Jira ticket" }).click();
  const key = retries.getByTestId("ticket-cell").getByRole("link", { name: /^OPS-\d+$/ });
  await expect(key).toBeVisible({ timeout: 20_000 });
  const issue = (await jira.issues()).find((i) => i.summary === "Restore the retry setting in the deploy template");
  expect(issue).toMatchObject({ key: await key.textContent(), issueType: "Task", labels: ["incident", "postmortem"] });
  expect(JSON.stringify(issue?.description)).toContain(new URL(postmortemUrl).pathname);

  // Jira refuses the next one: its own words appear on the row, and a retry goes through.
  await jira.fail({
    times: 1,
    status: 400,
    body: { errorMessages: [], errors: { summary: "You must specify a summary of the issue." } },
  });
  const alerting = await addItem("Alert on payment provider retries");
  await alerting.getByRole("button", { name: "Create Jira ticket" }).click();
  await expect(alerting.getByRole("alert")).toHaveText(
    "Jira answered HTTP 400: summary: You must specify a summary of the issue.",
    { timeout: 20_000 },
  );
  await alerting.getByRole("button", { name: "Try again" }).click();
  await expect(alerting.getByTestId("ticket-cell").getByRole("link", { name: /^OPS-\d+$/ })).toBeVisible({
    timeout: 20_000,
  });

  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByTestId("postmortem-status")).toHaveText("in review");
  // Parts of the draft are still "to be filled in": publishing asks first; declined, nothing changes.
  const asked: string[] = [];
  page.once("dialog", (dialog) => void (asked.push(dialog.message()), dialog.dismiss()));
  await page.getByRole("button", { name: "Publish" }).click();
  await expect.poll(() => asked).toEqual([expect.stringMatching(/still has \d+ parts? marked "to be filled in"/)]);
  await expect(page.getByTestId("postmortem-status")).toHaveText("in review");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByTestId("postmortem-status")).toHaveText("published");
  await expect(page.getByLabel("Postmortem markdown")).toHaveCount(0);
  await expect
    .poll(async () => (await slack.messagesIn("#incidents-critical")).map((m) => m.text), { timeout: 20_000 })
    .toContainEqual(
      `Postmortem for ${incident.ref} published by Bob Responder: ${appUrl}${new URL(postmortemUrl).pathname}`,
    );

  const exported = await page.request.get(`/api/v1/postmortems/${postmortemUrl.split("/").at(-1)}/export`);
  expect(exported.headers()["content-disposition"]).toBe(`attachment; filename="postmortem-${incident.ref}.md"`);
  const markdown = await exported.text();
  expect(markdown).toContain("The 14:02 deploy dropped the payment provider's retry setting.");
  expect(markdown).toMatch(
    /\| Restore the retry setting in the deploy template \| Bob Responder \| 2030-01-15 \| open \| \[OPS-\d+\]/,
  );
  await page.screenshot({ path: "e2e/artifacts/postmortem.png", fullPage: true });

  await page.goto("/postmortems");
  await expect(page.getByTestId("postmortem-row").filter({ hasText: title })).toContainText("published");
});

test("carol reads a postmortem but has nothing to edit it with, and a forged edit is refused", async ({
  page,
  request,
}) => {
  const { appUrl } = readE2eState();
  const title = `Viewer postmortem ${Date.now()}`;
  const incident = await (
    await request.post("/api/v1/incidents", { headers: auth, data: { title, severity: "P3" } })
  ).json();
  await request.post(`/api/v1/incidents/${incident.ref}/resolve`, {
    headers: auth,
    data: { resolution_note: "Restarted" },
  });
  const postmortem = await (
    await request.post(`/api/v1/incidents/${incident.ref}/postmortem`, { headers: auth })
  ).json();
  await request.post(`/api/v1/postmortems/${postmortem.id}/action-items`, {
    headers: auth,
    data: { title: "Write the runbook", due_date: "2020-01-01" },
  });

  await signInAs(page, "carol", "/postmortems");
  const row = page.getByTestId("postmortem-row").filter({ hasText: title });
  await expect(row.getByTestId("overdue-count")).toHaveText("1 overdue");
  await row.getByRole("link", { name: title }).click();
  await expect(page.getByTestId("markdown-preview")).toContainText(`Incident Postmortem: [${incident.ref}] ${title}`);
  await expect(page.getByTestId("action-item-row")).toContainText("Write the runbook");
  await expect(page.getByLabel("Postmortem markdown")).toHaveCount(0);
  for (const name of ["Save", "Submit for review", "Publish", "Add action item", "Regenerate from incident"])
    await expect(page.getByRole("button", { name })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Create .* ticket/ })).toHaveCount(0);

  const forged = await page.request.patch(`/api/v1/postmortems/${postmortem.id}`, {
    headers: { origin: appUrl },
    data: { markdown: "# Carol was here", version: 1 },
  });
  expect(forged.status()).toBe(403);
  expect(
    (await (await request.get(`/api/v1/postmortems/${postmortem.id}`, { headers: auth })).json()).markdown,
  ).not.toContain("Carol was here");
});
