// Sign-in through the dev identity provider in Chromium, and what each role sees and may do.
import { expect, test, type Page } from "@playwright/test";
import { requireChromium } from "./support/browser";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN, readE2eState } from "./support/state";

test.beforeEach(() => requireChromium());

const adminAuth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

async function anOpenIncident(page: Page): Promise<string> {
  const res = await page.request.post("/api/v1/incidents", {
    headers: adminAuth,
    data: { title: `Roles check ${Date.now()}`, severity: "P3" },
  });
  return (await res.json()).ref;
}

test("the sign-in page names the dev accounts, and anonymous visitors are sent there", async ({ page }) => {
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fadmin%2Fusers/);
  for (const account of ["alice", "bob", "carol"]) await expect(page.getByText(account, { exact: true })).toBeVisible();
});

test("carol (viewer) sees no write controls, and a write forged from her session is refused", async ({ page }) => {
  const ref = await anOpenIncident(page);
  await signInAs(page, "carol");
  await expect(page.getByTestId("signed-in-as")).toContainText("Carol Viewer");
  await expect(page.getByTestId("incident-row").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Declare incident" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Acknowledge", exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);

  const { appUrl } = readE2eState();
  const forged = await page.request.post(`/api/v1/incidents/${ref}/ack`, { headers: { origin: appUrl } });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).detail).toMatch(/viewer/);
  const admin = await page.goto("/admin/users");
  expect(admin?.status()).toBe(403);
});

test("bob (responder) acknowledges from the board but cannot open /admin; a cross-site POST with his session is refused", async ({
  page,
}) => {
  const ref = await anOpenIncident(page);
  await signInAs(page, "bob");
  const row = page.getByTestId("incident-row").filter({ hasText: ref });
  await row.getByRole("button", { name: "Acknowledge" }).click();
  await expect(row).toContainText("acknowledged");
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);

  const admin = await page.goto("/admin/users");
  expect(admin?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You cannot open this page" })).toBeVisible();

  const crossSite = await page.request.post(`/api/v1/incidents/${ref}/resolve`, {
    headers: { origin: "https://evil.example" },
    data: {},
  });
  expect(crossSite.status()).toBe(403);
  expect((await crossSite.json()).detail).toMatch(/Cross-origin/);

  const audit = await (
    await page.request.get(`/api/v1/audit?resource_type=incident&action=incident.acknowledge`, { headers: adminAuth })
  ).json();
  expect(
    audit.data.some(
      (e: { actor: { name: string }; details: { ref: string } }) =>
        e.actor.name === "Bob Responder" && e.details.ref === ref,
    ),
  ).toBe(true);
});

test("bob declares an incident from the board and lands on its page", async ({ page }) => {
  await signInAs(page, "bob");
  await page.getByRole("button", { name: "Declare incident" }).click();
  const title = `Declared in the browser ${Date.now()}`;
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Title").fill(title);
  await dialog.getByLabel("Severity").selectOption("P1");
  await page.getByRole("button", { name: "Declare", exact: true }).click();
  await expect(page).toHaveURL(/\/incidents\/INC-\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(title);
  await page.goto("/");
  await expect(page.getByTestId("incident-row").filter({ hasText: title })).toContainText("P1");
});

test("alice (admin) manages users, tokens and the audit log", async ({ page }) => {
  await signInAs(page, "alice");
  await page.getByRole("link", { name: "Admin" }).click();
  await expect(page.getByTestId("user-row").filter({ hasText: "alice@example.com" })).toContainText(
    "identity provider claims",
  );

  // Pin carol as a responder: the pinned role shows, and wins at her next sign-in.
  const carol = page.getByTestId("user-row").filter({ hasText: "carol@example.com" });
  await carol.getByLabel("Role").selectOption("responder");
  await expect(carol).toContainText("pinned by an admin");

  // A token is shown once; revoking it stops it at once.
  await page.getByRole("link", { name: "API tokens" }).click();
  await page.getByLabel("Name").fill("e2e revocation check");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  const withToken = { authorization: `Bearer ${token}` };
  expect((await page.request.get("/api/v1/incidents?limit=1", { headers: withToken })).status()).toBe(200);
  page.once("dialog", (dialog) => dialog.accept());
  await page
    .getByTestId("token-row")
    .filter({ hasText: "e2e revocation check" })
    .getByRole("button", { name: "Revoke" })
    .click();
  await expect(page.getByTestId("token-row").filter({ hasText: "e2e revocation check" })).toContainText("revoked");
  expect((await page.request.get("/api/v1/incidents?limit=1", { headers: withToken })).status()).toBe(401);

  // The audit log shows all of it, filters, and exports CSV.
  await page.getByRole("link", { name: "Audit log" }).click();
  await page.getByLabel("action").fill("api_token.");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("audit-row").filter({ hasText: "api_token.revoke" }).first()).toContainText(
    "Alice Admin",
  );
  const csv = await page.request.get("/api/v1/audit/export?action=user.set_role");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toMatch(/user\.set_role,user,[0-9a-f-]+,.*carol@example.com/);

  // Put carol back.
  await page.getByRole("link", { name: "Users" }).click();
  await page.getByTestId("user-row").filter({ hasText: "carol@example.com" }).getByLabel("Role").selectOption("viewer");
  await expect(page.getByTestId("user-row").filter({ hasText: "carol@example.com" }).getByLabel("Role")).toHaveValue(
    "viewer",
  );
});

test("with the dev identity provider anyone else signs in as a new viewer, and after signing out someone else can", async ({
  page,
}) => {
  const login = `dave${Date.now()}`;
  await signInAs(page, login);
  await expect(page.getByTestId("signed-in-as")).toContainText("viewer");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Vigil" })).toBeVisible();
  await expect
    .poll(async () => (await page.context().cookies()).some((c) => c.name.includes("authjs.session-token")))
    .toBe(false);
  // The provider asks again rather than signing the last person back in.
  await signInAs(page, "alice");
  await expect(page.getByTestId("signed-in-as")).toContainText("Alice Admin");
});

/** Goes through the dev identity provider's login form from the sign-in page, without expecting to get in. */
async function trySignIn(page: Page, login: string): Promise<void> {
  await page.getByRole("button", { name: "Sign in with single sign-on" }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.locator('button[type="submit"]').click();
}

test("alice disables someone: their open session stops at once and they cannot sign in until enabled again", async ({
  page,
  browser,
}) => {
  const login = `erin${Date.now()}`;
  const theirs = await browser.newContext();
  const them = await theirs.newPage();
  try {
    await signInAs(them, login);
    await signInAs(page, "alice", "/admin/users");
    const row = page.getByTestId("user-row").filter({ hasText: `${login}@example.com` });
    page.once("dialog", (dialog) => dialog.accept());
    await row.getByRole("button", { name: "Disable and sign out everywhere" }).click();
    await expect(row).toContainText("disabled ·");

    expect((await them.request.get("/api/v1/incidents?limit=1")).status()).toBe(401);
    await them.reload();
    await expect(them).toHaveURL(/\/sign-in/);
    await trySignIn(them, login);
    await expect(them.getByRole("alert").filter({ hasText: "Your Vigil account is disabled" })).toBeVisible();

    await row.getByRole("button", { name: "Enable" }).click();
    await expect(row.getByRole("button", { name: "Disable and sign out everywhere" })).toBeVisible();
    await trySignIn(them, login);
    await expect(them.getByTestId("signed-in-as")).toBeVisible();

    const audit = await (await page.request.get("/api/v1/audit?action=user.", { headers: adminAuth })).json();
    expect(audit.data.slice(0, 2).map((e: { action: string }) => e.action)).toEqual(["user.enable", "user.disable"]);
  } finally {
    await theirs.close();
  }
});

test("signing out ends the session and is audited", async ({ page }) => {
  await signInAs(page, "bob");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Vigil" })).toBeVisible();
  // The sign-out answer deletes the session cookie; wait for the browser to have applied it.
  await expect
    .poll(async () => (await page.context().cookies()).some((c) => c.name.includes("authjs.session-token")))
    .toBe(false);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  const audit = await (await page.request.get("/api/v1/audit?action=auth.sign_out", { headers: adminAuth })).json();
  expect(audit.data[0]).toMatchObject({ action: "auth.sign_out", actor: { name: "Bob Responder" } });
});
