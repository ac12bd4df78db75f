// The History page's filters and pages, and the incident page's own controls in Chromium: status,
// owner and severity changes, resolve and reopen, the timeline's order and kind filter, and the
// keyboard shortcuts. Every incident is made through the API, with titles and services unique to the run.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { requireChromium } from "./support/browser";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN } from "./support/state";

test.beforeEach(() => requireChromium());
const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

interface Created {
  ref: string;
  title: string;
}

async function declare(
  request: APIRequestContext,
  data: { title: string; severity: string; service?: string },
): Promise<Created> {
  const res = await request.post("/api/v1/incidents", { headers: auth, data });
  expect(res.status()).toBe(201);
  return (await res.json()) as Created;
}

/** The header's first line: severity badge, ref, status badge and the live indicator. */
const badges = (page: Page): Locator => page.locator("article > header > div").first();

/** Opens the incident page and waits until it is hydrated (the live stream is up), so clicks and keys work. */
async function openIncident(page: Page, created: Created) {
  await page.goto(`/incidents/${created.ref}`);
  await expect(page.getByRole("heading", { name: created.title })).toBeVisible();
  await expect(badges(page).getByText("● Live")).toBeVisible();
}

const refsOnPage = async (page: Page) =>
  (await page.getByTestId("incident-row").locator("td:nth-child(2) > span.font-mono").allTextContents()).map((s) =>
    s.trim(),
  );

test("History: a service filter shows only its incidents, in pages of 50 that neither repeat nor skip one", async ({
  page,
  request,
}) => {
  const run = Date.now();
  const service = `history-${run}`;
  const created: Created[] = [];
  // 51 incidents, 10 at a time; within a batch the numbers are in no particular order, so the
  // expected order is read back from the refs.
  for (let start = 0; start < 51; start += 10) {
    const batch = Array.from({ length: Math.min(10, 51 - start) }, (_, i) =>
      declare(request, { title: `History paging ${run} #${start + i}`, severity: "P4", service }),
    );
    created.push(...(await Promise.all(batch)));
  }
  const numberOf = (ref: string) => Number(ref.replace(/^INC-/, ""));
  const newestFirst = created.map((c) => c.ref).sort((a, b) => numberOf(b) - numberOf(a));
  // Someone else's incident with another service must stay out of the filtered list.
  const other = await declare(request, {
    title: `History other service ${run}`,
    severity: "P4",
    service: `${service}-other`,
  });

  await signInAs(page, "bob", "/incidents");
  const form = page.getByRole("search", { name: "Filter incidents" });
  await form.getByLabel("service").fill(service);
  await form.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]service=${service}(&|$)`));

  const rows = page.getByTestId("incident-row");
  await expect(rows).toHaveCount(50);
  const first = await refsOnPage(page);
  expect(first).toEqual(newestFirst.slice(0, 50));
  for (const cell of await rows.locator("td:nth-child(4)").allTextContents()) expect(cell.trim()).toBe(service);
  await expect(rows.filter({ hasText: other.title })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Newest" })).toHaveCount(0);

  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Older incidents" }).click();
  await expect(page).toHaveURL(/[?&]cursor=/);
  await expect(rows).toHaveCount(1);
  const second = await refsOnPage(page);
  expect(second).toEqual(newestFirst.slice(50));
  expect(new Set([...first, ...second]).size).toBe(51);
  // The filter stays in the form and the URL; nothing older is left.
  await expect(form.getByLabel("service")).toHaveValue(service);
  expect(new URL(page.url()).searchParams.get("service")).toBe(service);
  await expect(page.getByRole("link", { name: "Older incidents" })).toHaveCount(0);

  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Newest" }).click();
  await expect(page).not.toHaveURL(/[?&]cursor=/);
  await expect(rows).toHaveCount(50);
  expect(await refsOnPage(page)).toEqual(first);
  await expect(page.getByRole("link", { name: "Older incidents" })).toBeVisible();
});

test("bob moves an incident through investigating, owner, severity, resolve and reopen from its page", async ({
  page,
  request,
}) => {
  const created = await declare(request, { title: `Lifecycle via the page ${Date.now()}`, severity: "P3" });
  await signInAs(page, "bob", `/incidents/${created.ref}`);
  await openIncident(page, created);
  const header = page.locator("article > header");
  const facts = header.locator("dl");
  const actions = page.getByTestId("incident-actions");
  const timeline = page.getByTestId("timeline-event");
  await expect(badges(page).getByText("open", { exact: true })).toBeVisible();
  await expect(facts).toContainText("Owner unassigned");
  await expect(facts).toContainText("Time to acknowledge not yet");

  await actions.getByRole("button", { name: "Investigating" }).click();
  await expect(badges(page).getByText("investigating", { exact: true })).toBeVisible();
  await expect(timeline.filter({ hasText: "Status changed from open to investigating by Bob Responder" })).toHaveCount(
    1,
  );
  await expect(actions.getByRole("button", { name: "Investigating" })).toHaveCount(0);
  await expect(actions.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await expect(facts).not.toContainText("Time to acknowledge not yet"); // investigating counts as acknowledged

  await actions.getByRole("button", { name: "Take ownership" }).click();
  await expect(facts).toContainText("Owner Bob Responder");
  await expect(timeline.filter({ hasText: "Bob Responder: owner set to Bob Responder" })).toHaveCount(1);
  await expect(actions.getByRole("button", { name: "Take ownership" })).toHaveCount(0);

  await actions.getByLabel("Assign to (email)").fill("alice@example.com");
  await actions.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(facts).toContainText("Owner Alice Admin");
  await expect(timeline.filter({ hasText: "Bob Responder: owner set to Alice Admin" })).toHaveCount(1);
  await expect(actions.getByRole("button", { name: "Take ownership" })).toBeVisible(); // no longer his

  await actions.getByLabel("Severity").selectOption("P1");
  await expect(badges(page).getByText("P1", { exact: true })).toBeVisible();
  await expect(badges(page).getByText("P3", { exact: true })).toHaveCount(0);
  await expect(actions.getByLabel("Severity")).toHaveValue("P1");
  await expect(timeline.filter({ hasText: "Bob Responder: severity changed from P3 to P1" })).toHaveCount(1);

  await actions.getByRole("button", { name: "Resolve…" }).click();
  await page.getByLabel("Resolution note").fill("Rolled back the bad config");
  await page.getByRole("button", { name: "Resolve", exact: true }).click();
  await expect(badges(page).getByText("resolved", { exact: true })).toBeVisible();
  await expect(header.getByText("Resolution: Rolled back the bad config")).toBeVisible();
  await expect(facts).toContainText("Was open for");
  await expect(timeline.filter({ hasText: "Resolved by Bob Responder: Rolled back the bad config" })).toHaveCount(1);
  await expect(actions.getByRole("button", { name: "Resolve…" })).toHaveCount(0);

  await actions.getByRole("button", { name: "Reopen", exact: true }).click();
  await expect(badges(page).getByText("open", { exact: true })).toBeVisible();
  await expect(facts).toContainText("Reopened 1×");
  await expect(header.getByText("Resolution: Rolled back the bad config")).toHaveCount(0); // it no longer describes the incident
  await expect(facts).toContainText("Open for");
  await expect(timeline.filter({ hasText: "Reopened by Bob Responder" })).toHaveCount(1);
  await expect(actions.getByRole("button", { name: "Resolve…" })).toBeVisible();
  await expect(actions.getByRole("button", { name: "Acknowledge" })).toBeVisible();

  // The API agrees with what the page shows.
  const after = (await (await request.get(`/api/v1/incidents/${created.ref}`, { headers: auth })).json()) as {
    status: string;
    severity: string;
    owner: { email: string } | null;
    reopened_count: number;
  };
  expect(after).toMatchObject({
    status: "open",
    severity: "P1",
    owner: { email: "alice@example.com" },
    reopened_count: 1,
  });
});

test("on a phone the board and an incident page fit the screen, Acknowledge in reach", async ({ page, request }) => {
  const created = await declare(request, { title: `On a phone ${Date.now()}`, severity: "P1" });
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAs(page, "bob", "/");
  const row = page.getByTestId("incident-row").filter({ hasText: created.ref });
  await expect(row).toBeVisible();
  for (const column of ["Service", "Owner", "Last change", "Status", "Age"])
    await expect(page.getByRole("columnheader", { name: column })).toBeHidden();
  // Neither the page nor the table scrolls sideways: the row's Acknowledge is on screen once it is scrolled to.
  const table = page.locator("table").first().locator("xpath=..");
  expect(await table.evaluate((wrapper) => wrapper.scrollWidth - wrapper.clientWidth)).toBeLessThanOrEqual(0);
  await row.scrollIntoViewIfNeeded();
  await expect(row.getByRole("button", { name: "Acknowledge" })).toBeInViewport();
  const sideways = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await sideways()).toBeLessThanOrEqual(0);
  await page.goto(`/incidents/${created.ref}`);
  await expect(page.getByTestId("incident-actions").getByRole("button", { name: "Acknowledge" })).toBeInViewport();
  expect(await sideways()).toBeLessThanOrEqual(0);
});

test("a reference that names no incident says so, and leads to the search", async ({ page }) => {
  await signInAs(page, "carol", "/");
  for (const ref of ["INC-999999", "not-a-ref"]) {
    const res = await page.goto(`/incidents/${ref}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "No such incident" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Search all incidents" })).toHaveAttribute("href", "/incidents");
  }
});

test("a stale incident page shows the incident as it is now when the server refuses a change", async ({
  page,
  request,
}) => {
  const created = await declare(request, { title: `Stale page ${Date.now()}`, severity: "P3" });
  await page.route("**/api/v1/stream", (route) => route.abort()); // no live refresh: a tab that missed the change
  await signInAs(page, "bob", `/incidents/${created.ref}`);
  await expect(page.getByRole("heading", { name: created.title })).toBeVisible();
  await expect(badges(page).getByText("open", { exact: true })).toBeVisible();
  expect(
    (
      await request.post(`/api/v1/incidents/${created.ref}/resolve`, {
        headers: auth,
        data: { resolution_note: "fixed elsewhere" },
      })
    ).status(),
  ).toBe(200);

  await page.getByTestId("incident-actions").getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Could not acknowledge" })).toBeVisible();
  await expect(badges(page).getByText("resolved", { exact: true })).toBeVisible();
  await expect(page.getByTestId("incident-actions").getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
});

test("the timeline shows newest or oldest first, and only one kind of event", async ({ page, request }) => {
  const run = Date.now();
  // P4: no routing rule matches, so no notification event joins the timeline while the test reads it.
  const created = await declare(request, { title: `Timeline controls ${run}`, severity: "P4" });
  const notes = [`First look ${run}`, `Second look ${run}`, `Third look ${run}`];
  for (const [i, text] of notes.entries()) {
    expect(
      (await request.post(`/api/v1/incidents/${created.ref}/timeline`, { headers: auth, data: { text } })).status(),
    ).toBe(201);
    if (i === 0)
      expect((await request.post(`/api/v1/incidents/${created.ref}/ack`, { headers: auth })).status()).toBe(200);
  }
  await signInAs(page, "bob", `/incidents/${created.ref}`);
  await openIncident(page, created);

  const timeline = page.getByTestId("timeline-event");
  const kindOf = async () =>
    (await timeline.locator(":scope > span:first-of-type").allTextContents()).map((s) => s.trim());
  const oldestFirst = ["created", "note", "acknowledged", "note", "note"];

  await expect(timeline).toHaveCount(5);
  const order = page.getByRole("button", { name: "Newest first" });
  await expect(order).toBeVisible();
  expect(await kindOf()).toEqual([...oldestFirst].reverse());
  await expect(timeline.first()).toContainText(notes[2]!);
  await expect(timeline.last()).toContainText(`incident declared by`);

  await order.click();
  await expect(page.getByRole("button", { name: "Oldest first" })).toBeVisible();
  expect(await kindOf()).toEqual(oldestFirst);
  await expect(timeline.first()).toContainText(`incident declared by`);
  await expect(timeline.last()).toContainText(notes[2]!);

  const only = page.getByLabel("Show only");
  await expect(only.locator("option")).toHaveText(["All events", "acknowledged", "created", "note"]);
  await only.selectOption("note");
  await expect(timeline).toHaveCount(3);
  await expect(timeline).toContainText(notes); // oldest first still
  await page.getByRole("button", { name: "Oldest first" }).click();
  await expect(timeline).toContainText([...notes].reverse());

  await only.selectOption("acknowledged");
  await expect(timeline).toHaveCount(1);
  await expect(timeline).toContainText("Acknowledged by");

  await only.selectOption("");
  await expect(timeline).toHaveCount(5);
  expect(await kindOf()).toEqual([...oldestFirst].reverse());
});

test("keyboard: ? opens the shortcuts, a acknowledges an open incident, r opens the resolve dialog", async ({
  page,
  request,
}) => {
  const created = await declare(request, { title: `Keyboard shortcuts ${Date.now()}`, severity: "P4" });
  await signInAs(page, "bob");
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeHidden();
  await page.keyboard.press("?");
  await expect(help).toBeVisible();
  for (const key of ["/", "a", "r", "?"]) await expect(help.locator("kbd", { hasText: key })).toHaveCount(1);
  await expect(help).toContainText("Acknowledge (on an incident)");
  await help.getByRole("button", { name: "Close" }).click();
  await expect(help).toBeHidden();

  // Typing ? in a field is text, not the shortcut.
  await page.getByPlaceholder("Title or INC-123").fill("");
  await page.getByPlaceholder("Title or INC-123").press("?");
  await expect(page.getByPlaceholder("Title or INC-123")).toHaveValue("?");
  await expect(help).toBeHidden();

  await openIncident(page, created);
  const timeline = page.getByTestId("timeline-event");
  await expect(badges(page).getByText("open", { exact: true })).toBeVisible();
  await page.keyboard.press("?");
  await expect(help).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();

  // A note being typed is not a shortcut: its a's stay in the field and acknowledge nothing.
  await page.getByPlaceholder("Add a note").fill("");
  await page.getByPlaceholder("Add a note").press("a");
  await expect(page.getByPlaceholder("Add a note")).toHaveValue("a");
  await page.getByPlaceholder("Add a note").fill("");
  await page.getByPlaceholder("Add a note").blur();
  await expect(badges(page).getByText("open", { exact: true })).toBeVisible();

  await page.keyboard.press("a");
  await expect(badges(page).getByText("acknowledged", { exact: true })).toBeVisible();
  await expect(timeline.filter({ hasText: "Acknowledged by Bob Responder" })).toHaveCount(1);
  await expect(page.getByTestId("incident-actions").getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  // Pressed again on an acknowledged incident, a does nothing more.
  await page.keyboard.press("a");
  await expect(page.getByRole("status").filter({ hasText: "Saving…" })).toHaveCount(0);
  await expect(timeline.filter({ hasText: "Acknowledged by" })).toHaveCount(1);

  const resolve = page.getByRole("dialog", { name: `Resolve ${created.ref}` });
  await page.keyboard.press("r");
  await expect(resolve).toBeVisible();
  await resolve.getByRole("button", { name: "Cancel" }).click();
  await expect(resolve).toBeHidden();
  await expect(badges(page).getByText("acknowledged", { exact: true })).toBeVisible();
});

test("the board's Acknowledge shows at once, and goes back with the reason when the server refuses", async ({
  page,
  request,
}) => {
  const service = `optimistic-${Date.now()}`;
  const created = (await (
    await request.post("/api/v1/incidents", {
      headers: auth,
      data: { title: `Optimistic ack ${service}`, severity: "P4", service },
    })
  ).json()) as { ref: string };
  await signInAs(page, "bob", `/?service=${service}`);
  const row = page.getByTestId("incident-row").filter({ hasText: created.ref });
  await expect(row).toContainText("open");

  // The server takes its time and then refuses, as it would had someone else just acted on it.
  let release: () => void = () => {};
  const answered = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**/api/v1/incidents/${created.ref}/ack`, async (route) => {
    await answered;
    await route.fulfill({
      status: 409,
      contentType: "application/problem+json",
      body: JSON.stringify({
        type: "urn:vigil:problem:conflict",
        title: "Conflict",
        status: 409,
        detail: "Someone else changed this incident",
      }),
    });
  });
  await row.getByRole("button", { name: "Acknowledge" }).click();
  await expect(row).toContainText("acknowledged"); // shown before the server answers
  release();
  await expect(page.getByRole("alert").filter({ hasText: `Could not acknowledge ${created.ref}` })).toContainText(
    "Someone else changed this incident",
  );
  await expect(row).toContainText("open");
  await expect(row).not.toContainText("acknowledged");
  await page.unroute(`**/api/v1/incidents/${created.ref}/ack`);
});

test("the board says when nothing matches, tells of a new P1, and keeps its rows, saying why, when a refresh fails", async ({
  page,
  request,
}) => {
  const service = `board-states-${Date.now()}`;
  await signInAs(page, "bob", `/?service=${service}`);
  await expect(page.getByText("No incident matches these filters.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Clear filters" })).toBeVisible();
  await expect(page.getByText("Live", { exact: true })).toBeVisible(); // the stream listens from here on
  await expect(page).not.toHaveTitle(/^\(\d+\)/);

  // A P1 of that service appears live, announced, and counted in the tab's title while nobody has
  // acknowledged it; then the database goes away for the next refresh.
  const first = (await (
    await request.post("/api/v1/incidents", {
      headers: auth,
      data: { title: `Board states ${service}`, severity: "P1", service },
    })
  ).json()) as { ref: string };
  const row = page.getByTestId("incident-row").filter({ hasText: first.ref });
  await expect(row).toBeVisible();
  await expect(page.getByTestId("board-announcement")).toHaveText(
    `New P1 incident ${first.ref}: Board states ${service}`,
  );
  await expect(page).toHaveTitle(/^\(1\) /);
  const boardList = (url: URL) => url.pathname === "/api/v1/incidents";
  await page.route(boardList, (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/problem+json",
      body: JSON.stringify({
        type: "urn:vigil:problem:unavailable",
        title: "Service Unavailable",
        status: 503,
        detail: "The database is not answering; try again shortly",
      }),
    }),
  );
  await request.post("/api/v1/incidents", {
    headers: auth,
    data: { title: `Board states second ${service}`, severity: "P3", service },
  });
  await expect(page.getByRole("alert").filter({ hasText: "Could not refresh the board" })).toContainText(
    "The database is not answering",
    { timeout: 15_000 },
  );
  await expect(row).toBeVisible(); // what it showed stays

  // Once the API answers again, the next change brings the board up to date and the message goes.
  await page.unroute(boardList);
  await request.post("/api/v1/incidents", {
    headers: auth,
    data: { title: `Board states third ${service}`, severity: "P3", service },
  });
  await expect(page.getByTestId("incident-row")).toHaveCount(3, { timeout: 15_000 });
  await expect(page.getByRole("alert").filter({ hasText: "Could not refresh the board" })).toBeHidden();
});

test("the board and an incident page pass axe in the dark theme too", async ({ page, request, baseURL }) => {
  const created = (await (
    await request.post("/api/v1/incidents", {
      headers: auth,
      data: { title: `Dark theme ${Date.now()}`, severity: "P2" },
    })
  ).json()) as { ref: string };
  await page.context().addCookies([{ name: "theme", value: "dark", url: baseURL! }]);
  await signInAs(page, "bob");
  await expect(page.locator("html")).toHaveClass(/dark/);
  for (const path of ["/", `/incidents/${created.ref}`, "/analytics", "/runbooks"]) {
    await page.goto(path);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(
      serious.map(
        (v) =>
          `${path} ${v.id}: ${v.help} — ${v.nodes
            .map((n) => n.target.join(" "))
            .slice(0, 5)
            .join(", ")}`,
      ),
    ).toEqual([]);
  }
});
