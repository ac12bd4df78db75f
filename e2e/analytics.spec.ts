// The analytics page in Chromium: carol (viewer) opens /analytics over the demo incidents of the last week
// and sees the MTTx figures, the charts drawn by recharts, the noise and remediation panels; the group
// tabs and the drill-down keep the range in the URL. A screenshot is kept in e2e/artifacts.
import { expect, test } from "@playwright/test";
import { requireChromium } from "./support/browser";
import { signInAs } from "./support/sign-in";

test.beforeEach(() => requireChromium());

test("carol sees MTTx figures and charts for the last 7 days, grouped as she chooses", async ({ page }) => {
  await signInAs(page, "carol", "/analytics?range=7d");
  await expect(page.getByRole("heading", { name: "Analytics" })).toBeVisible();

  const kpis = page.getByTestId("analytics-kpis");
  await expect(kpis).toContainText("MTTA p50");
  await expect(kpis).toContainText("Still open");
  await expect(page.getByTestId("duration-row").first()).toBeVisible();
  // A preset is a rolling range from the answer store, and says which moment its figures are of.
  await expect(page.getByTestId("figures-as-of")).toContainText(/Figures as of \d\d:\d\d:\d\d UTC/);

  // recharts draws on the client once it has measured its container; the chart itself is the surface
  // with role "application" (legend icons are small surfaces of their own).
  for (const chart of ["duration-trend-chart", "incident-volume-chart", "distribution-chart"]) {
    await expect(page.getByTestId(chart).first().getByRole("application")).toBeVisible();
  }
  await expect(page.getByText(/No remediation ran in this range|finished runs/)).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/analytics.png", fullPage: true });

  await page.getByRole("navigation", { name: "Group by" }).getByRole("link", { name: "service" }).click();
  await expect(page).toHaveURL(/group_by=service/);
  await expect(page).toHaveURL(/range=7d/);
  const drill = page.getByTestId("duration-row").first().getByRole("link").first();
  await expect(drill).toHaveAttribute("href", /^\/incidents\?created_after=.*&counted=true&service=/);
  // Following it, the list keeps the range (and says so), and every row is of that service.
  const service = new URL((await drill.getAttribute("href"))!, "http://x").searchParams.get("service")!;
  await drill.click();
  await expect(page.getByTestId("range-note")).toContainText("drills and tests left out");
  const rows = page.getByTestId("incident-row");
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allInnerTexts()) expect(text).toContain(service);
});
