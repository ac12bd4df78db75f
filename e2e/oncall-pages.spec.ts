// The on-call pages in Chromium: an admin (through the API) adds three people, a weekly schedule of two
// and a policy that pages the schedule then the third; bob (responder) sees who is on call at /oncall and
// on the board, makes an override in the schedule's form, sees it in the timeline and on call now, and the
// policy's preview names the person the override put on call, then the third at the step's delay.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { expectNoSeriousAxeViolations } from "./support/axe";
import { requireChromium } from "./support/browser";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN } from "./support/state";

test.beforeEach(() => requireChromium());
const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

async function post<T>(request: APIRequestContext, path: string, data: unknown): Promise<T> {
  const res = await request.post(path, { headers: auth, data });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as T;
}

/** "YYYY-MM-DDTHH:MM" in UTC, as a datetime-local input takes it. */
const pickerValue = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** Three people of this run, a weekly schedule of Ada then Ben (Ada on now), and a policy paging it then Cy. */
async function scheduleAndPolicy(request: APIRequestContext) {
  const run = Date.now();
  const person = (name: string) =>
    post<{ id: string; name: string }>(request, "/api/v1/people", {
      name: `${name} ${run}`,
      email: `${name.toLowerCase()}-${run}@example.com`,
    });
  const [ada, ben, cy] = [await person("Ada"), await person("Ben"), await person("Cy")];
  const yesterday = new Date(run - 86_400_000).toISOString().slice(0, 10);
  const schedule = await post<{ id: string }>(request, "/api/v1/schedules", {
    name: `Primary ${run}`,
    time_zone: "UTC",
    layers: [
      {
        name: "Weekly",
        anchor: `${yesterday}T00:00`,
        interval_unit: "weeks",
        interval_count: 1,
        participants: [ada.id, ben.id],
      },
    ],
  });
  const policy = await post<{ id: string }>(request, "/api/v1/escalation-policies", {
    name: `Escalate ${run}`,
    steps: [
      { delay_minutes: 10, targets: [{ type: "schedule", schedule_id: schedule.id }] },
      { delay_minutes: 15, targets: [{ type: "user", user_id: cy.id }] },
    ],
  });

  return { run, ada, ben, cy, schedule, policy };
}

test("bob sees who is on call, overrides in the form, and the preview names the right person", async ({
  page,
  request,
}) => {
  const { run, ada, ben, cy, schedule, policy } = await scheduleAndPolicy(request);
  await signInAs(page, "bob", "/oncall");
  const entry = page.getByTestId("on-call-entry").filter({ hasText: `Primary ${run}` });
  await expect(entry).toContainText(ada.name);
  await expect(entry).toContainText("no contact methods");
  await expect(entry).toContainText(`paged by Escalate ${run}`);
  await expect(page.getByTestId("no-contact-methods")).toContainText(cy.name);

  await page.goto("/");
  await expect(page.getByTestId("on-call-entry").filter({ hasText: `Primary ${run}` })).toContainText(ada.name);

  await page.goto(`/oncall/schedules/${schedule.id}`);
  await expect(page.getByTestId("timeline-row-final")).toContainText(ada.name);
  await expect(page.getByTestId("timeline-row-layer")).toContainText(ben.name);
  const form = page.getByRole("form", { name: "New override" });
  await form.getByLabel("Person").selectOption({ label: ben.name });
  await form.getByLabel("Replaces").selectOption({ label: ada.name });
  await form.getByLabel("From (UTC)").fill(pickerValue(run - 3_600_000));
  await form.getByLabel("To (UTC)").fill(pickerValue(run + 3 * 3_600_000));
  await form.getByRole("button", { name: "Add override" }).click();
  await expect(page.getByTestId("override-row")).toContainText(ben.name);
  await expect(page.getByTestId("timeline-row-override")).toContainText(ben.name);
  // The final schedule starts now, inside the override: Ben first.
  await expect(page.getByTestId("timeline-row-final").getByTestId("timeline-bar").first()).toHaveText(ben.name);
  await expectNoSeriousAxeViolations(page);

  await page.goto("/oncall");
  await expect(entry).toContainText(ben.name);
  await expect(entry).not.toContainText(ada.name);

  await page.goto(`/oncall/policies/${policy.id}`);
  await expect(page.getByTestId("policy-step")).toHaveCount(2);
  await expect(page.getByRole("form", { name: "Edit policy" })).toHaveCount(0);
  await page.getByRole("form", { name: "Preview" }).getByRole("button", { name: "Preview" }).click();
  const pages = page.getByTestId("preview-page");
  await expect(pages).toHaveCount(2);
  await expect(pages.nth(0)).toContainText(`step 1 pages ${ben.name}`);
  await expect(pages.nth(1)).toContainText("(+10m)");
  await expect(pages.nth(1)).toContainText(`step 2 pages ${cy.name}`);
  await expectNoSeriousAxeViolations(page);
});

test("alice adds a layer and edits the policy; the pages she sees pass axe in both themes", async ({
  page,
  request,
  baseURL,
}) => {
  const { run, cy, schedule, policy } = await scheduleAndPolicy(request);
  await page.context().addCookies([{ name: "theme", value: "dark", url: baseURL! }]);
  await signInAs(page, "alice", `/oncall/schedules/${schedule.id}`);
  const form = page.getByRole("form", { name: "New layer" });
  await form.getByLabel("Layer name").fill("Office hours cover");
  await form.getByLabel("Anchor (schedule's wall clock)").fill(`${new Date(run).toISOString().slice(0, 10)}T09:00`);
  await form.getByLabel("Unit").selectOption("days");
  await form.getByLabel(cy.name).check();
  await form.getByLabel("from", { exact: true }).fill("09:00");
  await form.getByLabel("to", { exact: true }).fill("17:00");
  await form.getByRole("button", { name: "Add layer" }).click();
  await expect(page.getByTestId("layer-row").filter({ hasText: "Office hours cover" })).toContainText(
    "Mon Tue Wed Thu Fri 09:00–17:00",
  );
  // The save's warnings: Cy has no contact method.
  await expect(page.getByRole("form", { name: "New layer" }).locator("..").getByTestId("lint-warnings")).toContainText(
    "no_contact_methods",
  );
  await expect(page.getByTestId("timeline-row-layer").filter({ hasText: cy.name })).toHaveCount(1);
  await expectNoSeriousAxeViolations(page, "schedule page (dark)");

  await page.goto(`/oncall/policies/${policy.id}`);
  const editor = page.getByRole("form", { name: "Edit policy" });
  await editor.getByLabel("Repeat (0-9)").fill("1");
  await editor.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByText("runs 2 times (repeat 1)")).toBeVisible();
  await page.getByRole("form", { name: "Preview" }).getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("preview-page")).toHaveCount(4);
  await expect(page.getByTestId("preview-page").nth(2)).toContainText("(repeat 1)");
  await expectNoSeriousAxeViolations(page, "policy page (dark)");
  await page.context().addCookies([{ name: "theme", value: "light", url: baseURL! }]);
  await page.reload();
  // axe reads the document as it stands: wait until the reloaded page is the policy page, not a document
  // between two navigations (a CI run once caught an attribute on <html> there).
  await expect(page.locator("html")).toHaveClass("light");
  await expect(page.getByRole("form", { name: "Edit policy" })).toBeVisible();
  await expectNoSeriousAxeViolations(page, "policy page (light)");
  await page.goto(`/oncall/schedules/${schedule.id}`);
  await expect(page.getByRole("form", { name: "New layer" })).toBeVisible();
  await expectNoSeriousAxeViolations(page, "schedule page (light)");
});

test("an incident page and the preview for its service show the default policy's person on call", async ({
  page,
  request,
}) => {
  const { run, ada, schedule, policy } = await scheduleAndPolicy(request);
  const steps = [{ delay_minutes: 10, targets: [{ type: "schedule", schedule_id: schedule.id }] }];
  const makeDefault = (isDefault: boolean) =>
    request.put(`/api/v1/escalation-policies/${policy.id}`, {
      headers: auth,
      data: { name: `Escalate ${run}`, is_default: isDefault, steps },
    });
  expect((await makeDefault(true)).ok()).toBe(true);
  try {
    const service = `oncall-${run}`;
    const ref = (
      await post<{ ref: string }>(request, "/api/v1/incidents", { title: "Queue stuck", severity: "P2", service })
    ).ref;
    await signInAs(page, "bob", `/incidents/${ref}`);
    const panel = page.getByTestId("incident-on-call");
    await expect(panel).toContainText(`for policy Escalate ${run} (the default policy)`);
    await expect(panel).toContainText(ada.name);

    await page.goto(`/oncall/policies/${policy.id}?service=${service}`);
    await expect(page.getByTestId("policy-preview")).toContainText(
      `An incident for ${service} follows Escalate ${run} (the default policy).`,
    );
    await expect(page.getByTestId("preview-page").first()).toContainText(`step 1 pages ${ada.name}`);
  } finally {
    await makeDefault(false);
  }
});
