// The Slack endpoints inside the built app (Bolt bundled by Next): a signed slash command is answered,
// acts through the verbs, and a forged one is refused.
import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { slackControl } from "./fakes";
import { E2E_ADMIN_TOKEN, E2E_SLACK_SIGNING_SECRET, readE2eState } from "./support/state";

function signed(body: string, secret = E2E_SLACK_SIGNING_SECRET) {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}

test("a linked Slack user acknowledges with /incident ack, and a forged request is refused", async ({ request }) => {
  const { fakes } = readE2eState();
  await slackControl(fakes.slack).addUser({ id: "U0BOB", name: "bob", email: "bob@example.com" });
  const created = await (await request.post("/api/v1/incidents", { headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` }, data: { title: `Slack e2e ${Date.now()}`, severity: "P3" } })).json();
  const body = new URLSearchParams({
    command: "/incident",
    text: `ack ${created.ref}`,
    user_id: "U0BOB",
    user_name: "bob",
    team_id: "T0001",
    channel_id: "C0001",
    channel_name: "general",
    response_url: `${fakes.slack}/response/e2e`,
    trigger_id: "t.1",
    api_app_id: "A0001",
    token: "ignored",
  }).toString();

  const forged = await request.post("/api/slack/commands", { headers: signed(body, "not-the-secret"), data: body });
  expect(forged.status()).toBe(401);

  const res = await request.post("/api/slack/commands", { headers: signed(body), data: body });
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain(created.ref);
  const incident = await (await request.get(`/api/v1/incidents/${created.ref}`, { headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } })).json();
  expect(incident.status).toBe("acknowledged");
  const timeline = await (await request.get(`/api/v1/incidents/${created.ref}/timeline`, { headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } })).json();
  expect(timeline.data.find((e: { kind: string }) => e.kind === "acknowledged")?.actor).toMatchObject({ type: "slack", name: "Bob Responder" });
});
