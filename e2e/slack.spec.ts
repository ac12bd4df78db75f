// The Slack endpoints inside the built app (Bolt bundled by Next): a signed slash command is answered,
// acts through the verbs, and a forged one is refused.
import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { slackControl } from "./fakes";
import { E2E_ADMIN_TOKEN, E2E_SLACK_SIGNING_SECRET, readE2eState } from "./support/state";

function signed(body: string, secret = E2E_SLACK_SIGNING_SECRET) {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature,
  };
}

test("a linked Slack user acknowledges with /incident ack, and a forged request is refused", async ({ request }) => {
  const { fakes } = readE2eState();
  await slackControl(fakes.slack).addUser({ id: "U0BOB", name: "bob", email: "bob@example.com" });
  const created = await (
    await request.post("/api/v1/incidents", {
      headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
      data: { title: `Slack e2e ${Date.now()}`, severity: "P3" },
    })
  ).json();
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
  const incident = await (
    await request.get(`/api/v1/incidents/${created.ref}`, { headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } })
  ).json();
  expect(incident.status).toBe("acknowledged");
  const timeline = await (
    await request.get(`/api/v1/incidents/${created.ref}/timeline`, {
      headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
    })
  ).json();
  expect(timeline.data.find((e: { kind: string }) => e.kind === "acknowledged")?.actor).toMatchObject({
    type: "slack",
    name: "Bob Responder",
  });
});

const admin = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

function command(text: string, userId: string, responseId: string) {
  const { fakes } = readE2eState();
  return form({
    command: "/incident",
    text,
    user_id: userId,
    user_name: userId.toLowerCase(),
    team_id: "T0001",
    channel_id: "C0001",
    channel_name: "general",
    response_url: `${fakes.slack}/response/${responseId}`,
    trigger_id: `t.${Date.now()}`,
    api_app_id: "A0001",
    token: "ignored",
  });
}

/** A button pressed on an incident card, as Slack posts it to the interactions endpoint. */
function buttonPress(actionId: string, incidentId: string, userId: string, responseId: string) {
  const { fakes } = readE2eState();
  const payload = {
    type: "block_actions",
    user: { id: userId, username: userId.toLowerCase(), team_id: "T0001" },
    api_app_id: "A0001",
    container: { type: "message", message_ts: "1764000000.000100", channel_id: "C0001", is_ephemeral: false },
    trigger_id: `t.${Date.now()}`,
    team: { id: "T0001", domain: "vigil-e2e" },
    channel: { id: "C0001", name: "general" },
    message: { type: "message", ts: "1764000000.000100", text: "card", user: "U0BOT", bot_id: "B0BOT" },
    state: { values: {} },
    response_url: `${fakes.slack}/response/${responseId}`,
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "b1",
        value: incidentId,
        text: { type: "plain_text", text: "x" },
        action_ts: "1764000001.000200",
      },
    ],
  };
  return form({ payload: JSON.stringify(payload) });
}

const incidentOf = async (request: import("@playwright/test").APIRequestContext, ref: string) =>
  (await request.get(`/api/v1/incidents/${ref}`, { headers: admin })).json();

test("in the built app: /incident list and note, a card's Acknowledge button, a viewer's press, a stale request", async ({
  request,
}) => {
  const { fakes } = readE2eState();
  const slack = slackControl(fakes.slack);
  await slack.addUser({ id: "U0BOB", name: "bob", email: "bob@example.com" });
  await slack.addUser({ id: "U0CAROL", name: "carol", email: "carol@example.com" });
  const created = await (
    await request.post("/api/v1/incidents", {
      headers: admin,
      data: { title: `Slack buttons e2e ${Date.now()}`, severity: "P2" },
    })
  ).json();

  // /incident list names the open incident.
  // One body, signed and sent: command() stamps a fresh trigger_id, so building it twice could sign other bytes.
  const listBody = command("list", "U0BOB", "list");
  const listed = await request.post("/api/slack/commands", { headers: signed(listBody), data: listBody });
  expect(listed.status()).toBe(200);
  const listText = (await listed.text()) + JSON.stringify(await slack.responses("list"));
  expect(listText).toContain(created.ref);

  // /incident note adds a timeline note said to come from Slack.
  const noteBody = command(`note ${created.ref} Checked the load balancer: healthy`, "U0BOB", "note");
  expect((await request.post("/api/slack/commands", { headers: signed(noteBody), data: noteBody })).status()).toBe(200);
  await expect
    .poll(async () =>
      (
        (await (await request.get(`/api/v1/incidents/${created.ref}/timeline`, { headers: admin })).json()).data as {
          kind: string;
          text: string;
          actor: { type: string };
        }[]
      ).find((e) => e.kind === "note"),
    )
    .toMatchObject({ text: "Checked the load balancer: healthy", actor: { type: "slack" } });

  // A viewer's button press changes nothing and is told why.
  const carolPress = buttonPress("incident_acknowledge", created.id, "U0CAROL", "carol");
  expect(
    (await request.post("/api/slack/interactions", { headers: signed(carolPress), data: carolPress })).status(),
  ).toBe(200);
  await expect
    .poll(async () => JSON.stringify(await slack.responses("carol")), { timeout: 10_000 })
    .toMatch(/viewer|not allowed|cannot/i);
  expect((await incidentOf(request, created.ref)).status).toBe("open");

  // A request signed six minutes ago is refused, and changes nothing.
  const bobPress = buttonPress("incident_acknowledge", created.id, "U0BOB", "bob");
  const stale = signed(bobPress);
  const oldTimestamp = Math.floor(Date.now() / 1000) - 360;
  stale["x-slack-request-timestamp"] = String(oldTimestamp);
  stale["x-slack-signature"] =
    `v0=${createHmac("sha256", E2E_SLACK_SIGNING_SECRET).update(`v0:${oldTimestamp}:${bobPress}`).digest("hex")}`;
  expect((await request.post("/api/slack/interactions", { headers: stale, data: bobPress })).status()).toBe(401);
  expect((await incidentOf(request, created.ref)).status).toBe("open");

  // bob's press acknowledges it.
  expect((await request.post("/api/slack/interactions", { headers: signed(bobPress), data: bobPress })).status()).toBe(
    200,
  );
  await expect.poll(async () => (await incidentOf(request, created.ref)).status).toBe("acknowledged");
});
