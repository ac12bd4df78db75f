// POST /api/slack/events and who a Slack user is: url_verification; incident channels for P0/P1 (created
// by the worker, card posted, owner invited); pinned or marked messages there becoming timeline notes;
// linking by Slack email, and by an admin through PATCH /api/v1/users/{id}.
import { describe, expect, it, vi } from "vitest";
import { FAKE_SLACK_BOT_TOKEN } from "@/e2e/fakes";
import { webApi } from "@slack/bolt";
import { createIncident } from "@/lib/incidents/create-incident";
import { admin, ctxOf } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { call } from "@/test/runtime";
import { commandBody, eventBody, FORM, postSigned, settle, useSlackBot } from "@/test/slack";
import * as userRoute from "../../v1/users/[id]/route";
import * as alertmanager from "../../v1/webhooks/alertmanager/route";
import * as commands from "../commands/route";
import * as route from "../events/route";
import { auditRowsOf, incidentByTitle, incidentRow, insertUser, timelineOf, userRow } from "@/test/records";

const deferred = vi.hoisted(() => [] as Promise<unknown>[]);
vi.mock("next/server", () => ({ after: (work: Promise<unknown>) => void deferred.push(work) }));

const t = useTestDatabase();
const bot = useSlackBot(t, { SLACK_INCIDENT_CHANNELS: "1" });

async function deliver(event: Record<string, unknown>) {
  const res = await postSigned(route.POST, "/api/slack/events", eventBody(event), "application/json");
  await settle(deferred);
  return res;
}

const quiet = () => {};
const slackClient = () =>
  new webApi.WebClient(FAKE_SLACK_BOT_TOKEN, {
    slackApiUrl: `${bot.slack.url}/api/`,
    retryConfig: { retries: 0 },
    logger: {
      debug: quiet,
      info: quiet,
      warn: quiet,
      error: quiet,
      setLevel: quiet,
      getLevel: () => webApi.LogLevel.ERROR,
      setName: quiet,
    },
  });

const notes = (incidentId: string) => timelineOf(t, incidentId, "note");

/** A P1 incident owned by alice, once the worker has made its channel. */
async function incidentWithChannel(title: string) {
  const { incident } = await createIncident({
    ctx: ctxOf(t.db, admin),
    input: { title, severity: "P1", owner: bot.people.alice.id },
  });
  await drainJobs(t);
  const row = await incidentRow(t, incident.id);
  if (!row?.slackChannelId) throw new Error("no incident channel was made");
  return { incident, channelId: row.slackChannelId };
}

describe("the Events API endpoint", () => {
  it("answers Slack's url_verification challenge", async () => {
    const raw = JSON.stringify({
      token: "x",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    const res = await postSigned(route.POST, "/api/slack/events", raw, "application/json");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });
});

describe("incident channels", () => {
  it("are made for a P1 that Alertmanager opens too (its first messages planned by the webhook's transaction)", async () => {
    const body = webhook(`{}:{alertname="DiskFull",file="${t.name}"}`, [
      alert({
        labels: { alertname: "DiskFull", service: "storage", severity: "page" },
        annotations: { summary: "Disk full on storage-1" },
      }),
    ]);
    const res = await call(alertmanager.POST, "POST", "/api/v1/webhooks/alertmanager", { token: bot.adminToken, body });
    expect(res.status).toBe(200);
    const [ref] = ((await res.json()) as { incidents: { created: string[] } }).incidents.created;
    await drainJobs(t);
    const row = await incidentByTitle(t, "Disk full on storage-1");
    expect(`INC-${row?.number}`).toBe(ref);
    expect(row?.slackChannelId).toBeTruthy();
    expect(bot.slack.channel(row!.slackChannelId!)?.name).toBe(`inc-${row!.number}-disk-full-on-storage-1`);
    expect(bot.slack.messagesIn("#incidents-critical").filter((m) => m.text?.includes(ref!))).toHaveLength(1);
  });

  it("are made for a P1: #inc-<n>-<slug>, stored on the incident, the card posted and the owner invited", async () => {
    const { incident, channelId } = await incidentWithChannel("Checkout 5xx above 5%");
    const channel = bot.slack.channel(channelId)!;
    expect(channel.name).toBe(`inc-${incident.number}-checkout-5xx-above-5`);
    expect(channel.members).toContain("U0ALICE");
    const [card] = bot.slack.messagesIn(channelId);
    expect(card?.text).toContain(`P1 ${incident.ref}: Checkout 5xx above 5%`);
    expect(JSON.stringify(card?.blocks)).toContain("incident_menu");
    const kinds = (await timelineOf(t, incident.id)).map((e) => e.kind);
    expect(kinds).toContain("slack_channel_created");
    // Its card is one the pipeline keeps up to date, like the one in #incidents-critical.
    await postSigned(
      commands.POST,
      "/api/slack/commands",
      commandBody({ text: "ack", userId: "U0BOB", channelId, responseUrl: bot.slack.responseUrl("ack") }),
      FORM,
    );
    await settle(deferred);
    await drainJobs(t);
    expect(bot.slack.messagesIn(channelId).find((m) => m.ts === card?.ts)?.text).toContain("(Acknowledged)");
    // A new owner is invited too.
    await postSigned(
      commands.POST,
      "/api/slack/commands",
      commandBody({
        text: "assign <@U0BOB|bob>",
        userId: "U0BOB",
        channelId,
        responseUrl: bot.slack.responseUrl("assign"),
      }),
      FORM,
    );
    await settle(deferred);
    await drainJobs(t);
    expect(bot.slack.channel(channelId)?.members).toEqual(expect.arrayContaining(["U0ALICE", "U0BOB"]));
  });

  it("are stored on the incident through its write path: a timeline event and an audit row", async () => {
    const { incident, channelId } = await incidentWithChannel("Search latency above 2s");
    const [event] = await timelineOf(t, incident.id, "slack_channel_created");
    expect(event).toMatchObject({ actorName: "Vigil Slack bot", data: { channel_id: channelId } });
    const audits = await auditRowsOf(t, incident.id, "incident.slack_channel");
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorName: "Vigil Slack bot",
      details: { ref: incident.ref, channel_id: channelId },
    });
  });

  it("are not made for a P3, and an existing channel of the same name is adopted rather than doubled", async () => {
    const { incident: minor } = await createIncident({
      ctx: ctxOf(t.db, admin),
      input: { title: "Minor", severity: "P3" },
    });
    await drainJobs(t);
    expect((await incidentRow(t, minor.id))?.slackChannelId).toBeNull();
    expect(bot.slack.received.filter((r) => r.method === "conversations.create")).toEqual([]);

    // As if an earlier attempt created the channel and died before storing it.
    const [{ next }] = (await t.sql`select coalesce(max(number), 0) + 1 as next from incidents`) as unknown as [
      { next: number },
    ];
    const made = await slackClient().conversations.create({ name: `inc-${next}-db-failover` });
    const { channelId } = await incidentWithChannel("DB failover");
    expect(channelId).toBe(made.channel?.id);
  });
});

describe("timeline notes from an incident channel", () => {
  it("turn a pinned message into a note by whoever pinned it, once", async () => {
    const { incident, channelId } = await incidentWithChannel("Pins");
    const pin = {
      type: "pin_added",
      user: "U0BOB",
      channel_id: channelId,
      item: {
        type: "message",
        channel: channelId,
        created_by: "U0BOB",
        message: {
          type: "message",
          user: "U0CAROL",
          ts: "1764000000.000200",
          text: "Root cause: expired TLS cert on &lt;lb-2&gt;",
        },
      },
    };
    const res = await deliver(pin);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const [note] = await notes(incident.id);
    expect(note).toMatchObject({
      actorType: "slack",
      actorId: "U0BOB",
      actorName: "Bob",
      text: "Pinned in Slack: Root cause: expired TLS cert on <lb-2>",
    });
    const [audit] = await auditRowsOf(t, incident.id, "incident.add_timeline_event");
    expect(audit).toMatchObject({ actorType: "slack", userId: bot.people.bob.id });

    await deliver(pin); // Slack retries, or someone pins it again
    await deliver({
      type: "reaction_added",
      user: "U0ALICE",
      reaction: "memo",
      item_user: "U0CAROL",
      item: { type: "message", channel: channelId, ts: "1764000000.000200" },
    });
    expect(await notes(incident.id)).toHaveLength(1);
  });

  it("turn a message marked with the configured reaction into a note, reading its text from Slack", async () => {
    const { incident, channelId } = await incidentWithChannel("Reactions");
    const posted = await slackClient().chat.postMessage({
      channel: channelId,
      text: "Scaled api to 12 replicas <@U0BOB|bob>",
    });
    await deliver({
      type: "reaction_added",
      user: "U0ALICE",
      reaction: "thumbsup",
      item: { type: "message", channel: channelId, ts: posted.ts },
    });
    expect(await notes(incident.id)).toEqual([]);
    await deliver({
      type: "reaction_added",
      user: "U0ALICE",
      reaction: "memo",
      item: { type: "message", channel: channelId, ts: posted.ts },
    });
    expect((await notes(incident.id))[0]).toMatchObject({
      actorType: "slack",
      actorName: "Alice",
      text: "Marked in Slack: Scaled api to 12 replicas @bob",
    });
  });

  it("are refused to a viewer (told privately) and ignored outside incident channels", async () => {
    const { incident, channelId } = await incidentWithChannel("Viewer pins");
    await deliver({
      type: "pin_added",
      user: "U0CAROL",
      channel_id: channelId,
      item: { type: "message", channel: channelId, message: { ts: "1764000000.000300", text: "my theory" } },
    });
    expect(await notes(incident.id)).toEqual([]);
    const told = bot.slack.received.filter((r) => r.method === "chat.postEphemeral");
    expect(told).toEqual([
      expect.objectContaining({
        ok: true,
        params: expect.objectContaining({
          channel: channelId,
          user: "U0CAROL",
          text: expect.stringMatching(/role is \*viewer\*/),
        }),
      }),
    ]);

    const before = await t.sql`select count(*)::int as n from timeline_events`;
    // The bot's own pins are ignored before anything looks them up (Bolt knows its user id from auth.test).
    const seen = bot.slack.received.length;
    await deliver({
      type: "pin_added",
      user: "U0BOT",
      channel_id: channelId,
      item: { type: "message", channel: channelId, message: { ts: "1764000000.000350", text: "card" } },
    });
    expect(bot.slack.received.slice(seen)).toEqual([]);
    await deliver({
      type: "pin_added",
      user: "U0BOB",
      channel_id: "C0RANDOM",
      item: { type: "message", channel: "C0RANDOM", message: { ts: "1764000000.000400", text: "lunch?" } },
    });
    expect(await t.sql`select count(*)::int as n from timeline_events`).toEqual(before);
  });
});

describe("who a Slack user is", () => {
  it("is found by their Slack email, case-insensitively, and the link is stored and audited", async () => {
    const dora = await insertUser(t, { email: "Dora@Example.com", name: "Dora", role: "responder" });
    bot.slack.addUser({ id: "U0DORA", name: "dora", email: "dora@example.COM" });
    const res = await postSigned(
      commands.POST,
      "/api/slack/commands",
      commandBody({ text: "list", userId: "U0DORA", responseUrl: bot.slack.responseUrl("dora") }),
      FORM,
    );
    expect(((await res.json()) as { text: string }).text).not.toContain("I don't know who you are");
    await settle(deferred);
    expect((await userRow(t, dora.id))?.slackUserId).toBe("U0DORA");
    const [audit] = await auditRowsOf(t, dora.id, "user.link_slack");
    expect(audit).toMatchObject({
      actorType: "slack",
      actorId: "U0DORA",
      userId: dora!.id,
      details: { matched_by: "email", slack_user_id: "U0DORA" },
    });
    expect(bot.slack.received.filter((r) => r.method === "users.info")).toHaveLength(1);
  });

  it("can be linked by an admin through PATCH /api/v1/users/{id}, audited, and then acts with their role", async () => {
    const erin = await insertUser(t, { email: "erin@corp.example", name: "Erin", role: "responder" });
    bot.slack.addUser({ id: "U0ERIN", name: "erin", email: "erin.personal@mail.example" });
    const unknown = await postSigned(
      commands.POST,
      "/api/slack/commands",
      commandBody({ text: "list", userId: "U0ERIN", responseUrl: bot.slack.responseUrl("erin") }),
      FORM,
    );
    await settle(deferred);
    expect(((await unknown.json()) as { text: string }).text).toContain(
      "Or ask a Vigil admin to link your Slack user ID `U0ERIN`",
    );

    const patch = (body: unknown) =>
      call(userRoute.PATCH, "PATCH", `/api/v1/users/${erin!.id}`, {
        token: bot.adminToken,
        params: { id: erin!.id },
        body,
      });
    const linked = await patch({ slack_user_id: "U0ERIN" });
    expect(linked.status).toBe(200);
    expect(await linked.json()).toMatchObject({ id: erin!.id, slack_user_id: "U0ERIN", role: "responder" });
    const [audit] = await auditRowsOf(t, erin.id, "user.link_slack");
    expect(audit).toMatchObject({
      actorType: "apiToken",
      details: { email: "erin@corp.example", from: null, to: "U0ERIN" },
    });
    expect((await patch({ slack_user_id: "U0BOB" })).status).toBe(409);
    expect((await patch({ slack_user_id: "not-an-id" })).status).toBe(400);
    expect((await patch({})).status).toBe(400);

    const { incident } = await createIncident({
      ctx: ctxOf(t.db, admin),
      input: { title: "Erin acks", severity: "P3" },
    });
    const acked = await postSigned(
      commands.POST,
      "/api/slack/commands",
      commandBody({ text: `ack ${incident.ref}`, userId: "U0ERIN", responseUrl: bot.slack.responseUrl("erin2") }),
      FORM,
    );
    await settle(deferred);
    expect(((await acked.json()) as { text: string }).text).toContain("Erin acknowledged");
  });
});
