// Acknowledging a page from the message, against the built app: an anonymous browser opens the link (no
// sign-in), the page changes nothing until its button is pressed, the server action acknowledges as the
// person paged; and a signed SMS reply, posted as Twilio would, acknowledges another page.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { createDatabaseClient, type DatabaseClient } from "@/db/client";
import { users } from "@/db/schema";
import { issueAckLink } from "@/lib/escalation/ack-links";
import { FAKE_SMS_AUTH_TOKEN, inboundSms, sendTwilioCallback } from "./fakes";
import { expectNoSeriousAxeViolations } from "./support/axe";
import { requireChromium } from "./support/browser";
import { E2E_ADMIN_TOKEN, readE2eState } from "./support/state";

requireChromium();
test.describe.configure({ mode: "serial" });

const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
let db: DatabaseClient;
let personId: string;

test.beforeAll(async () => {
  db = createDatabaseClient(readE2eState().databaseUrl, { max: 1 });
  const [person] = await db.db
    .insert(users)
    .values({ email: `paged-${crypto.randomUUID()}@example.com`, name: "Paged Responder", role: "responder" })
    .returning();
  personId = person!.id;
});
test.afterAll(async () => db?.close());

async function pagedIncident(request: APIRequestContext, method: "email" | "sms", address: string) {
  const created = await request.post("/api/v1/incidents", {
    headers: auth,
    data: { title: `Ack link e2e ${method}`, severity: "P1" },
  });
  expect(created.status()).toBe(201);
  const incident = (await created.json()) as { id: string; ref: string };
  const link = await issueAckLink(db.db, {
    incidentId: incident.id,
    userId: personId,
    method,
    address,
    now: new Date(),
    appUrl: readE2eState().appUrl,
  });
  return { incident, link };
}

const incidentOf = async (request: APIRequestContext, ref: string) =>
  (await (await request.get(`/api/v1/incidents/${ref}`, { headers: auth })).json()) as { status: string };
const acknowledgedEvents = async (request: APIRequestContext, ref: string) =>
  (
    (await (await request.get(`/api/v1/incidents/${ref}/timeline`, { headers: auth })).json()) as {
      data: { kind: string; actor: { name: string }; data: Record<string, unknown> }[];
    }
  ).data.filter((e) => e.kind === "acknowledged");

test("an anonymous browser confirms an email link: opening changes nothing, the button acknowledges once", async ({
  page,
  request,
}) => {
  const { incident, link } = await pagedIncident(request, "email", "paged@example.com");
  await page.goto(link.url);
  expect(new URL(page.url()).pathname).toBe(`/ack/${link.token}`);
  await expect(page.getByRole("heading", { name: `Acknowledge ${incident.ref}?` })).toBeVisible();
  await expect(page.getByText("Paged to Paged Responder by email (paged@example.com).")).toBeVisible();
  await expectNoSeriousAxeViolations(page, "the confirm page");
  await page.reload();
  expect((await incidentOf(request, incident.ref)).status).toBe("open");

  await page.getByRole("button", { name: `Acknowledge ${incident.ref}` }).click();
  await expect(page.getByRole("heading", { name: `You acknowledged ${incident.ref}` })).toBeVisible();
  await expectNoSeriousAxeViolations(page, "the confirm page, acknowledged");
  expect((await incidentOf(request, incident.ref)).status).toBe("acknowledged");
  const events = await acknowledgedEvents(request, incident.ref);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ actor: { name: "Paged Responder" }, data: { via: "email link" } });

  // The link is spent: opened again (no outcome in the URL), it says so and offers no button.
  await page.goto(link.url);
  await expect(page.getByRole("heading", { name: "This acknowledge link was already used" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Acknowledge/ })).toHaveCount(0);
});

test("an unknown link explains itself without naming any incident", async ({ page }) => {
  const res = await page.goto("/ack/no-such-token");
  expect(res?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Unknown acknowledge link" })).toBeVisible();
  await expect(page.getByText(/INC-/)).toHaveCount(0);
});

test("a signed SMS reply of ACK acknowledges the page sent to that number", async ({ request }) => {
  const from = "+15555550177";
  const { incident } = await pagedIncident(request, "sms", from);
  const url = `${readE2eState().appUrl}/api/v1/webhooks/twilio/sms`;
  const fields = inboundSms(from, "+15555550000", "ACK");
  const answer = await sendTwilioCallback(url, fields, { authToken: FAKE_SMS_AUTH_TOKEN });
  expect(answer.status).toBe(200);
  expect(answer.contentType).toMatch(/^text\/xml/);
  expect(answer.body).toContain(`<Message>Acknowledged ${incident.ref} as Paged Responder.</Message>`);
  expect((await incidentOf(request, incident.ref)).status).toBe("acknowledged");

  const forged = await sendTwilioCallback(url, inboundSms(from, "+15555550000", "ACK"), {
    authToken: FAKE_SMS_AUTH_TOKEN,
    signature: "bm90IGEgc2lnbmF0dXJl",
  });
  expect(forged.status).toBe(403);
});
