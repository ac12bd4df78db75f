import { expect, test } from "@playwright/test";
import { requireChromium } from "./support/browser";
import { signInAs } from "./support/sign-in";

test.describe("the first page", () => {
  test.beforeEach(() => requireChromium());

  test("lists the open demo incidents and none of the resolved ones", async ({ page }) => {
    await signInAs(page, "carol");
    await expect(page.getByRole("heading", { name: "Open incidents" })).toBeVisible();
    const rows = page.getByTestId("incident-row");
    await expect(rows.filter({ hasText: "Checkout API 5xx error rate above 5%" })).toContainText("P1");
    await expect(rows.filter({ hasText: "Primary PostgreSQL cluster for orders unreachable" })).toContainText(
      "investigating",
    );
    await expect(rows.filter({ hasText: "Login failures after auth-service deploy" })).toHaveCount(0);
    expect(await rows.count()).toBeGreaterThanOrEqual(8);
    await page.screenshot({ path: "e2e/artifacts/open-incidents.png", fullPage: true });
  });
});
