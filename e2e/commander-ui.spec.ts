// The commander UI in Chromium: the live board, the incident page and its actions, as bob (responder)
// and carol (viewer); accessibility checked with axe; screenshots kept in e2e/artifacts.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { requireChromium } from "./support/browser";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN } from "./support/state";

test.beforeEach(() => requireChromium());
const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("bob sees an alert's incident appear on the board live, then acknowledges, notes and resolves it", async ({
  page,
  request,
}) => {
  await signInAs(page, "bob");
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  const run = Date.now();
  const alert = {
    status: "firing",
    labels: { alertname: "QueueBacklog", service: "media", severity: "critical", run: String(run) },
    annotations: { summary: `Thumbnail queue backlog ${run}` },
    startsAt: new Date().toISOString(),
  };
  const delivered = await request.post("/api/v1/webhooks/alertmanager", {
    headers: auth,
    data: {
      version: "4",
      groupKey: `{}:{run="${run}"}`,
      alerts: [alert],
      commonLabels: alert.labels,
      commonAnnotations: alert.annotations,
    },
  });
  const ref = ((await delivered.json()) as { incidents: { created: string[] } }).incidents.created[0];
  const row = page.getByTestId("incident-row").filter({ hasText: `Thumbnail queue backlog ${run}` });
  await expect(row).toBeVisible({ timeout: 5_000 }); // no reload: the stream brought it
  await expect(row).toContainText("P2");
  // A change made elsewhere (here the API, as Slack or PagerDuty would) shows up on the open board too.
  expect((await request.patch(`/api/v1/incidents/${ref}`, { headers: auth, data: { severity: "P1" } })).status()).toBe(
    200,
  );
  await expect(row).toContainText("P1", { timeout: 5_000 });
  await page.screenshot({ path: "e2e/artifacts/board.png", fullPage: true });

  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { name: `Thumbnail queue backlog ${run}` })).toBeVisible();
  await page.getByTestId("incident-actions").getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByText("acknowledged", { exact: true }).first()).toBeVisible();
  await page.getByPlaceholder("Add a note").fill("Scaling the thumbnailer to 6 replicas");
  await page.getByRole("button", { name: "Add note" }).click();
  await page.getByRole("button", { name: "Resolve…" }).click();
  await expect(page.getByTestId("still-firing")).toContainText("Still firing: QueueBacklog."); // the dialog warns before it resolves
  await page.getByLabel("Resolution note").fill("Backlog drained after scaling");
  await page.getByRole("button", { name: "Resolve", exact: true }).click();
  await expect(page.getByText("Resolution: Backlog drained after scaling")).toBeVisible();

  const timeline = page.getByTestId("timeline-event");
  await expect(timeline.filter({ hasText: "Acknowledged by Bob Responder" })).toHaveCount(1);
  await expect(timeline.filter({ hasText: "Scaling the thumbnailer to 6 replicas" })).toHaveCount(1);
  await expect(timeline.filter({ hasText: "Resolved by Bob Responder: Backlog drained after scaling" })).toHaveCount(1);
  await expect(page.getByTestId("alert-row")).toContainText("QueueBacklog");
  await expectNoSeriousAxeViolations(page);
  await page.screenshot({ path: "e2e/artifacts/incident.png", fullPage: true });
});

test("the Grafana panels show the service's dashboard for the incident's time window", async ({ page, request }) => {
  const detected = new Date(Date.now() - 10 * 60_000).toISOString();
  const created = await (
    await request.post("/api/v1/incidents", {
      headers: auth,
      data: { title: `Grafana check ${Date.now()}`, severity: "P3", service: "checkout", detected_at: detected },
    })
  ).json();
  await signInAs(page, "carol", `/incidents/${created.ref}`);
  const panels = page.getByTestId("grafana-panel");
  await expect(panels).toHaveCount(3);
  const url = new URL((await panels.first().getAttribute("src"))!);
  expect(url.pathname).toBe("/d-solo/vigil-service-overview/vigil-service-overview");
  expect(url.searchParams.get("panelId")).toBe("1");
  expect(Number(url.searchParams.get("from"))).toBe(Date.parse(detected) - 30 * 60_000);
  expect(url.searchParams.get("to")).toBe("now");
  expect(url.searchParams.get("var-service")).toBe("checkout");
});

test("carol sees the board and the incident page without any action", async ({ page, request }) => {
  const created = await (
    await request.post("/api/v1/incidents", {
      headers: auth,
      data: { title: `Viewer check ${Date.now()}`, severity: "P2" },
    })
  ).json();
  await signInAs(page, "carol");
  await expect(page.getByTestId("incident-row").filter({ hasText: created.title })).toBeVisible();
  await expect(page.getByRole("button", { name: "Acknowledge", exact: true })).toHaveCount(0);
  await page.goto(`/incidents/${created.ref}`);
  await expect(page.getByRole("heading", { name: created.title })).toBeVisible();
  await expect(page.getByTestId("incident-actions")).toHaveCount(0);
  await expect(page.getByPlaceholder("Add a note")).toHaveCount(0);
  await expect(page.getByTestId("timeline-event")).not.toHaveCount(0);
});

test("board filters live in the URL, and / focuses the search", async ({ page }) => {
  await signInAs(page, "bob");
  await page.getByRole("group", { name: "Severity" }).getByRole("button").filter({ hasText: "P0" }).click();
  await expect(page).toHaveURL(/severity=P0/);
  await expect(page.getByTestId("incident-row").first()).toContainText("P0");
  await page.keyboard.press("/");
  await expect(page.getByPlaceholder("Title or INC-123")).toBeFocused();
});
