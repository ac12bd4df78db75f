// The runbook pages in Chromium: the catalog the Prometheus rules link to, the editor's live preview and
// front-matter errors, versions with their authors and diffs; a viewer reads but does not edit.
import { expect, test } from "@playwright/test";
import { requireChromium } from "./support/browser";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN } from "./support/state";

test.beforeEach(() => requireChromium());
const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

test("the rules' runbook_url opens the runbook, from the catalog page too", async ({ page, request }) => {
  await expect
    .poll(async () => (await request.get("/api/v1/runbooks/high-error-rate", { headers: auth })).status(), {
      timeout: 30_000,
    })
    .toBe(200);
  await signInAs(page, "carol", "/runbooks");
  await expect(page.getByTestId("runbook-row").filter({ hasText: "High Error Rate" })).toContainText(
    "alertname HighErrorRate",
  );
  await expect(page.getByRole("link", { name: "New runbook" })).toHaveCount(0);
  await page.getByRole("link", { name: "High Error Rate" }).click();
  await expect(page).toHaveURL(/\/runbooks\/high-error-rate$/);
  await expect(page.getByRole("heading", { name: "High Error Rate", level: 1 })).toBeVisible();
  await expect(page.getByTestId("runbook-body").getByRole("heading", { name: "Immediate Checks" })).toBeVisible();
  await expect(page.getByText("automatically when a matching incident opens")).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
});

test("bob's editor shows front-matter errors as he types, and a save makes a version with a diff", async ({
  page,
  request,
}) => {
  const slug = `e2e-editor-${Date.now()}`;
  const markdown = `---\nslug: ${slug}\ntitle: Editor Check\nalerts:\n  alertnames: [EditorCheck]\nactions:\n  - id: restart\n    title: Restart it\n    type: k8s.rollout_restart\n    params:\n      namespace: "{{labels.namespace}}"\n      deployment: "{{labels.service}}"\n---\n## Symptoms\n\nSomething is slow.\n`;
  expect((await request.post("/api/v1/runbooks", { headers: auth, data: { markdown } })).status()).toBe(201);

  await signInAs(page, "bob", `/runbooks/${slug}/edit`);
  await expect(page.getByTestId("actions-need-admin")).toContainText("Changing the actions");
  const editor = page.getByLabel("Runbook (front matter and markdown)");
  await expect(page.getByTestId("front-matter-ok")).toContainText("Editor Check");
  await expect(page.getByRole("region", { name: "Preview" }).getByText("Something is slow.")).toBeVisible();

  await editor.fill(
    markdown
      .replace("type: k8s.rollout_restart", "type: k8s.reboot")
      .replace("alertnames: [EditorCheck]", "alertnames: []"),
  );
  const errors = page.getByTestId("front-matter-errors");
  await expect(errors).toContainText(
    "line 9: actions.0.type: type must be one of k8s.rollout_restart, k8s.scale, k8s.delete_pod, http.post",
  );
  await expect(errors).toContainText("alerts: name at least one alertname or label matcher");
  await expect(page.getByRole("button", { name: "Save new version" })).toBeDisabled();
  await page.screenshot({ path: "e2e/artifacts/runbook-editor-errors.png", fullPage: true });

  await editor.fill(markdown.replace("Something is slow.", "Something is **very** slow."));
  await expect(page.getByRole("region", { name: "Preview" }).locator("strong")).toHaveText("very");
  await page.getByRole("button", { name: "Save new version" }).click();
  await expect(page).toHaveURL(new RegExp(`/runbooks/${slug}$`));
  await expect(page.getByTestId("runbook-version")).toHaveText("2");

  await page.getByRole("article").getByRole("link", { name: "History" }).click();
  const entries = page.getByTestId("runbook-version-entry");
  await expect(entries.first()).toContainText("Version 2 by Bob Responder (in Vigil)");
  await expect(entries.first().getByTestId("version-diff")).toContainText("Something is **very** slow.");
  await expect(entries.nth(1)).toContainText("Version 1 by bootstrap admin (BOOTSTRAP_ADMIN_TOKEN)");
});
