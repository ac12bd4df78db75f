// Maintenance windows in Chromium, as bob (responder): start a window at /maintenance, see it on the board,
// see the incident an alert opens under it held ("Paging held"), end it; then snooze another incident's
// alert group from its page. Services are unique to the run.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { requireChromium } from "./support/browser";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN } from "./support/state";

test.beforeEach(() => requireChromium());
const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

/** An alert for `service` through the Alertmanager webhook: the ref of the incident it opened. */
async function fire(request: APIRequestContext, service: string, summary: string): Promise<string> {
  const alert = {
    status: "firing",
    labels: { alertname: "DiskFull", service, severity: "critical" },
    annotations: { summary },
    startsAt: new Date().toISOString(),
  };
  const res = await request.post("/api/v1/webhooks/alertmanager", {
    headers: auth,
    data: { version: "4", groupKey: `{}:{service="${service}"}`, alerts: [alert], commonLabels: alert.labels },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { incidents: { created: string[] } }).incidents.created[0]!;
}

test("bob starts a window, the board and a muted incident show it, and he ends it", async ({ page, request }) => {
  const service = `maint-${Date.now()}`;
  await signInAs(page, "bob", "/maintenance");
  const form = page.getByRole("form", { name: "New maintenance window" });
  await form.getByLabel("Service").fill(service);
  await form.getByLabel("Reason").fill("Disk replacement");
  await form.getByLabel("Name (optional)").fill(`Disks ${service}`);
  await form.getByRole("button", { name: "Start window" }).click();
  const row = page.getByTestId("maintenance-row").filter({ hasText: `Disks ${service}` });
  await expect(row).toContainText("active");

  await page.goto("/");
  await expect(page.getByTestId("maintenance-banner")).toContainText(`Disks ${service}`);

  const ref = await fire(request, service, `Disk full on ${service}`);
  await page.goto(`/incidents/${ref}`);
  await expect(page.getByTestId("maintenance-note")).toContainText(`in maintenance window “Disks ${service}”`);
  await expect(
    page.getByTestId("timeline-event").filter({ hasText: "Paging and automatic remediation held" }),
  ).toHaveCount(1);

  await page.goto("/maintenance");
  await row.getByRole("button", { name: "End now" }).click();
  await expect(row).toContainText("ended");
  await expect(row).toContainText("ended early by Bob Responder");
});

test("bob snoozes an incident's alert group for an hour from its page", async ({ page, request }) => {
  const service = `snooze-${Date.now()}`;
  const ref = await fire(request, service, `Disk full on ${service}`);
  await signInAs(page, "bob", `/incidents/${ref}`);
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Snooze alert group 1 h" }).click();
  await expect(page.getByTestId("maintenance-note")).toContainText("Paging held: alert group snoozed until");
  await expect(page.getByTestId("maintenance-note").getByRole("button", { name: "End snooze" })).toBeVisible();
});
