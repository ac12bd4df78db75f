// A runbook's runs page in Chromium: reached from the runbook, a run requested through the API shows with
// its incident and who asked, the figures sit on top, and a filter with no match says so.
import { expect, test } from "@playwright/test";
import { requireChromium } from "./support/browser";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN } from "./support/state";

test.beforeEach(() => requireChromium());
const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

test("carol follows the runbook's Runs link and sees a run across incidents, and filters it away", async ({
  page,
  request,
}) => {
  const slug = `e2e-runs-${Date.now()}`;
  const markdown = `---\nslug: ${slug}\ntitle: Runs Check\nalerts:\n  alertnames: [RunsCheck]\nactions:\n  - { id: restart, title: Restart it, type: k8s.rollout_restart, max_per_hour: 50, params: { namespace: shop, deployment: runs-check } }\n---\n## Symptoms\n`;
  expect((await request.post("/api/v1/runbooks", { headers: auth, data: { markdown } })).status()).toBe(201);
  const incident = await request.post("/api/v1/incidents", {
    headers: auth,
    data: { title: "runs page check", severity: "P3" },
  });
  expect(incident.status()).toBe(201);
  const { ref } = (await incident.json()) as { ref: string };
  const run = await request.post(`/api/v1/incidents/${ref}/remediations`, {
    headers: auth,
    data: { runbook: slug, action: "restart", dry_run: true },
  });
  expect(run.status()).toBe(201);

  await signInAs(page, "carol", `/runbooks/${slug}`);
  await page.getByRole("link", { name: "Runs", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/runbooks/${slug}/runs$`));
  await expect(page.getByRole("heading", { name: "Runs of Runs Check", level: 1 })).toBeVisible();
  await expect(page.getByTestId("runbook-run-stats")).toContainText("Success rate");
  const row = page.getByTestId("runbook-run-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(ref);
  await expect(row).toContainText("deployment shop/runs-check");
  await expect(row).toContainText("admin");

  await page.getByLabel("outcome").selectOption("rejected");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/outcome=rejected/);
  await expect(page.getByText("No runs match these filters.")).toBeVisible();
});
