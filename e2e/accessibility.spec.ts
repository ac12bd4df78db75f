// Every signed-in page passes axe (no serious or critical violation) in the light and the dark theme:
// each page of the navigation, the admin tabs, an incident with its postmortem, and a runbook with its
// history, editor and the new-runbook form. alice (admin) sees every link and every control.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { seriousAxeViolations } from "./support/axe";
import { requireChromium } from "./support/browser";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN } from "./support/state";

test.beforeEach(() => requireChromium());
const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

/** A resolved incident and the postmortem drafted for it: the pages behind them have the most to show. */
async function incidentWithPostmortem(request: APIRequestContext): Promise<{ ref: string; postmortemId: string }> {
  const created = await request.post("/api/v1/incidents", {
    headers: auth,
    data: { title: `Accessibility sweep ${Date.now()}`, severity: "P2", service: "checkout" },
  });
  expect(created.status()).toBe(201);
  const { ref } = (await created.json()) as { ref: string };
  const resolved = await request.post(`/api/v1/incidents/${ref}/resolve`, {
    headers: auth,
    data: { resolution_note: "Rolled back" },
  });
  expect(resolved.ok()).toBe(true);
  const drafted = await request.post(`/api/v1/incidents/${ref}/postmortem`, { headers: auth });
  expect(drafted.ok()).toBe(true);
  return { ref, postmortemId: ((await drafted.json()) as { id: string }).id };
}

/** The main navigation's own links, so a page added to it is swept without editing this spec. */
async function navigationPaths(page: Page): Promise<string[]> {
  const hrefs = await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link")
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  return [...new Set(hrefs.filter((path) => !path.startsWith("/api/")))];
}

type PageList = (page: Page, request: APIRequestContext) => Promise<string[]>;

// Grouped so that each test stays well inside its time on a busy machine, and a failure names its pages.
const sweeps: Record<string, PageList> = {
  "every page of the main navigation": async (page) => {
    const paths = await navigationPaths(page);
    expect(paths).toEqual(
      expect.arrayContaining(["/", "/analytics", "/incidents", "/runbooks", "/postmortems", "/admin"]),
    );
    return paths;
  },
  "the admin pages": async () => ["/admin/users", "/admin/tokens", "/admin/routing", "/admin/audit"],
  "an incident and its postmortem": async (_page, request) => {
    const { ref, postmortemId } = await incidentWithPostmortem(request);
    return [`/incidents/${ref}`, `/postmortems/${postmortemId}`];
  },
  "a runbook, its history and editor, and a new runbook": async (_page, request) => {
    await expect
      .poll(async () => (await request.get("/api/v1/runbooks/high-error-rate", { headers: auth })).status(), {
        timeout: 30_000,
      })
      .toBe(200);
    return [
      "/runbooks/high-error-rate",
      "/runbooks/high-error-rate/history",
      "/runbooks/high-error-rate/edit",
      "/runbooks/new",
    ];
  },
};

for (const theme of ["light", "dark"]) {
  for (const [what, pathsOf] of Object.entries(sweeps)) {
    test(`${what} pass axe in the ${theme} theme`, async ({ page, request, baseURL }) => {
      test.setTimeout(120_000);
      await page.context().addCookies([{ name: "theme", value: theme, url: baseURL! }]);
      await signInAs(page, "alice");
      const paths = await pathsOf(page, request);
      // Every page is checked before the one assertion, so a run names every violation at once.
      const violations: string[] = [];
      for (const path of paths) {
        await page.goto(path);
        await expect(page.locator("html")).toHaveClass(theme);
        await expect(page.getByRole("main")).toBeVisible();
        violations.push(...(await seriousAxeViolations(page, `${path} (${theme})`)));
      }
      expect(violations).toEqual([]);
    });
  }
}

test("a dialog takes the focus, passes axe while open, closes on Escape and gives the focus back", async ({ page }) => {
  await signInAs(page, "bob");
  const declare = page.getByRole("button", { name: "Declare incident" });
  await declare.click();
  const dialog = page.getByRole("dialog", { name: "Declare an incident" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute("aria-modal", "true");
  await expect(dialog.getByLabel("Title")).toBeFocused();
  expect(await seriousAxeViolations(page, "/ with the Declare dialog open")).toEqual([]);

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(declare).toBeFocused();

  // Opened again and cancelled with its button: the same way back.
  await declare.click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(declare).toBeFocused();
});
