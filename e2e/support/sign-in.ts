import { expect, type Page } from "@playwright/test";

/** Signs in through the dev identity provider's own login form, as a person would. */
export async function signInAs(page: Page, login: string, path = "/"): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByRole("button", { name: "Sign in with single sign-on" }).click();
  // oidc-provider's dev interaction: a login form with `login` and `password` fields.
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.locator('button[type="submit"]').click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  if (path !== "/") await expect(page).toHaveURL(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
}
