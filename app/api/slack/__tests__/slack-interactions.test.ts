// Buttons, the card's menu and the modals through POST /api/slack/interactions: the same verbs as the web
// page, with the card then updated in place by the notification pipeline (the worker, run here by
// drainJobs), and refusals said to the person who pressed.
import { describe, expect, it, vi } from "vitest";
import { createIncident } from "@/lib/incidents/create-incident";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import {
  blockActionPayload,
  FORM,
  interactionBody,
  postSigned,
  selectValue,
  settle,
  textValue,
  useSlackBot,
  viewSubmissionPayload,
} from "@/test/slack";
import * as route from "../interactions/route";
import { auditRowsOf, incidentByTitle, incidentRow, notificationsOf, timelineOf } from "@/test/records";

const deferred = vi.hoisted(() => [] as Promise<unknown>[]);
vi.mock("next/server", () => ({ after: (work: Promise<unknown>) => void deferred.push(work) }));

const t = useTestDatabase();
const bot = useSlackBot(t);
const PATH = "/api/slack/interactions";

let responses = 0;
async function interact(payload: (responseUrl: string) => Record<string, unknown>) {
  const responseId = `act-${++responses}`;
  const res = await postSigned(route.POST, PATH, interactionBody(payload(bot.slack.responseUrl(responseId))), FORM);
  const text = await res.text();
  await settle(deferred);
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    later: bot.slack.responsesTo(responseId),
  };
}

/** A P1 incident whose card the worker has posted to #incidents-critical. */
async function incidentWithCard(title = "Checkout 5xx above 5%") {
  const { incident } = await createIncident({
    ctx: ctxOf(t.db, admin),
    input: { title, severity: "P1", service: "checkout" },
  });
  await drainJobs(t);
  const card = bot.slack.messagesIn("#incidents-critical").find((m) => m.text.includes(incident.ref));
  if (!card) throw new Error("the card was not posted");
  const channel = bot.slack.channel("#incidents-critical")!.id;
  return { incident, card, channel };
}

const row = async (id: string) => (await incidentRow(t, id))!;
const events = (id: string) => timelineOf(t, id);
const audits = (id: string, action: string) => auditRowsOf(t, id, action);
const buttonIds = (blocks: unknown) => JSON.stringify(blocks).match(/"action_id":"incident_\w+"/g);

describe("the card's buttons", () => {
  it("acknowledge as the pressing Slack user, answer at once, and the card updates in place", async () => {
    const { incident, card, channel } = await incidentWithCard();
    const pressed = await interact((responseUrl) =>
      blockActionPayload({
        userId: "U0BOB",
        actionId: "incident_acknowledge",
        value: incident.id,
        responseUrl,
        channelId: channel,
        messageTs: card.ts,
      }),
    );
    expect(pressed).toMatchObject({ status: 200, body: null, later: [] });
    expect((await row(incident.id)).status).toBe("acknowledged");
    expect((await events(incident.id))[0]).toMatchObject({
      kind: "acknowledged",
      actorType: "slack",
      actorId: "U0BOB",
      actorName: "Bob",
    });
    expect((await audits(incident.id, "incident.acknowledge"))[0]).toMatchObject({
      actorType: "slack",
      userId: bot.people.bob.id,
    });

    await drainJobs(t);
    const [updated] = bot.slack.messagesIn(channel).filter((m) => m.ts === card.ts);
    expect(updated?.text).toContain("(Acknowledged)");
    expect(buttonIds(updated?.blocks)).not.toContain('"action_id":"incident_acknowledge"');
    expect(bot.slack.threadOf(channel, card.ts).map((m) => m.text)).toContain("Acknowledged by Bob");
  });

  it("resolve (after Slack's confirmation dialog) through resolveIncident", async () => {
    const { incident, card, channel } = await incidentWithCard();
    await interact((responseUrl) =>
      blockActionPayload({
        userId: "U0ALICE",
        actionId: "incident_resolve",
        value: incident.id,
        responseUrl,
        channelId: channel,
        messageTs: card.ts,
      }),
    );
    expect((await row(incident.id)).status).toBe("resolved");
    expect((await audits(incident.id, "incident.resolve"))[0]).toMatchObject({
      actorType: "slack",
      actorId: "U0ALICE",
      userId: bot.people.alice.id,
    });
    await drainJobs(t);
    expect(bot.slack.messagesIn(channel).find((m) => m.ts === card.ts)?.text).toContain("Resolved");
  });

  it("refuse a viewer with an explanation only they see, changing nothing", async () => {
    const { incident, card, channel } = await incidentWithCard();
    const before = (await events(incident.id)).length;
    const pressed = await interact((responseUrl) =>
      blockActionPayload({
        userId: "U0CAROL",
        actionId: "incident_acknowledge",
        value: incident.id,
        responseUrl,
        channelId: channel,
        messageTs: card.ts,
      }),
    );
    expect(pressed.status).toBe(200);
    expect(pressed.later).toEqual([
      expect.objectContaining({
        response_type: "ephemeral",
        replace_original: false,
        text: expect.stringMatching(/Your Vigil role is \*viewer\*, which does not allow you to acknowledge/),
      }),
    ]);
    expect((await row(incident.id)).status).toBe("open");
    expect(await events(incident.id)).toHaveLength(before);
    expect(await audits(incident.id, "incident.acknowledge")).toEqual([]);
  });

  it("tell a Slack user Vigil cannot match how to link their account", async () => {
    bot.slack.addUser({ id: "U0DORA", name: "dora", email: "dora@elsewhere.example" });
    const { incident, card, channel } = await incidentWithCard();
    const pressed = await interact((responseUrl) =>
      blockActionPayload({
        userId: "U0DORA",
        actionId: "incident_acknowledge",
        value: incident.id,
        responseUrl,
        channelId: channel,
        messageTs: card.ts,
      }),
    );
    expect(pressed.later).toEqual([
      expect.objectContaining({
        response_type: "ephemeral",
        text: expect.stringContaining("I don't know who you are in Vigil yet"),
      }),
    ]);
    expect(pressed.later[0]?.text).toContain("No Vigil account has your Slack email (dora@elsewhere.example)");
    expect(pressed.later[0]?.text).toContain('{"slack_user_id": "U0DORA"}');
    expect((await row(incident.id)).status).toBe("open");
  });

  it("replace a card that only the presser saw (from /incident show) with its new state", async () => {
    const { incident } = await createIncident({
      ctx: ctxOf(t.db, admin),
      input: { title: "Shown privately", severity: "P3" },
    });
    const pressed = await interact((responseUrl) =>
      blockActionPayload({
        userId: "U0BOB",
        actionId: "incident_acknowledge",
        value: incident.id,
        responseUrl,
        ephemeral: true,
      }),
    );
    expect(pressed.later).toEqual([
      expect.objectContaining({ replace_original: true, text: expect.stringContaining("(Acknowledged)") }),
    ]);
  });

  it("acknowledge the Open in Vigil link button and nothing more", async () => {
    const { incident } = await incidentWithCard();
    const before = await t.sql`select count(*)::int as n from audit_log`;
    const pressed = await interact((responseUrl) =>
      blockActionPayload({ userId: "U0BOB", actionId: "incident_open", value: undefined, responseUrl }),
    );
    expect(pressed).toMatchObject({ status: 200, body: null, later: [] });
    expect(await t.sql`select count(*)::int as n from audit_log`).toEqual(before);
    expect((await row(incident.id)).status).toBe("open");
  });
});

describe("the card's menu", () => {
  it("marks an incident as investigating", async () => {
    const { incident, card, channel } = await incidentWithCard();
    await interact((responseUrl) =>
      blockActionPayload({
        userId: "U0BOB",
        actionId: "incident_menu",
        selectedValue: `investigating:${incident.id}`,
        responseUrl,
        channelId: channel,
        messageTs: card.ts,
      }),
    );
    expect((await row(incident.id)).status).toBe("investigating");
    expect((await audits(incident.id, "incident.set_status"))[0]).toMatchObject({
      actorType: "slack",
      userId: bot.people.bob.id,
    });
  });

  it("opens the timeline-note form, whose submission adds the note as that Slack user", async () => {
    const { incident, card, channel } = await incidentWithCard();
    const opened = await interact((responseUrl) =>
      blockActionPayload({
        userId: "U0BOB",
        actionId: "incident_menu",
        selectedValue: `note:${incident.id}`,
        responseUrl,
        channelId: channel,
        messageTs: card.ts,
      }),
    );
    expect(opened).toMatchObject({ status: 200, body: null });
    const view = bot.slack.received.find((r) => r.method === "views.open")?.params.view as {
      callback_id: string;
      private_metadata: string;
    };
    expect(view.callback_id).toBe("incident_note");
    const metadata = JSON.parse(view.private_metadata) as { incident_id: string; response_url: string };
    expect(metadata).toMatchObject({ incident_id: incident.id, channel_id: channel });

    const submitted = await interact(() =>
      viewSubmissionPayload({
        userId: "U0BOB",
        callbackId: "incident_note",
        privateMetadata: view.private_metadata,
        values: { text: textValue("Failover to eu-west done") },
      }),
    );
    expect(submitted).toMatchObject({ status: 200, body: null }); // closes the form
    expect((await events(incident.id))[0]).toMatchObject({
      kind: "note",
      actorType: "slack",
      actorName: "Bob",
      text: "Failover to eu-west done",
    });
    expect((await audits(incident.id, "incident.add_timeline_event"))[0]).toMatchObject({
      actorType: "slack",
      userId: bot.people.bob.id,
    });
    const responseId = metadata.response_url.split("/").at(-1)!;
    expect(bot.slack.responsesTo(responseId)).toEqual([
      expect.objectContaining({ response_type: "ephemeral", text: `Added your note to ${incident.ref}'s timeline.` }),
    ]);

    await drainJobs(t);
    expect(bot.slack.threadOf(channel, card.ts).map((m) => m.text)).toContain("Failover to eu-west done");
  });

  it("keeps the note form from a viewer, and shows an empty note as a field error", async () => {
    const { incident, card, channel } = await incidentWithCard();
    const refused = await interact((responseUrl) =>
      blockActionPayload({
        userId: "U0CAROL",
        actionId: "incident_menu",
        selectedValue: `note:${incident.id}`,
        responseUrl,
        channelId: channel,
        messageTs: card.ts,
      }),
    );
    expect(refused.later[0]?.text).toMatch(/role is \*viewer\*, which does not allow you to add notes/);
    expect(bot.slack.received.filter((r) => r.method === "views.open")).toEqual([]);

    const metadata = JSON.stringify({ incident_id: incident.id });
    const empty = await interact(() =>
      viewSubmissionPayload({
        userId: "U0BOB",
        callbackId: "incident_note",
        privateMetadata: metadata,
        values: { text: textValue("   ") },
      }),
    );
    expect(empty.body).toEqual({ response_action: "errors", errors: { text: "must not be empty" } });
  });
});

describe("the declare-an-incident form", () => {
  const values = (title: string, severity = "P2") => ({
    title: textValue(title),
    severity: selectValue(severity),
    service: textValue("payments"),
    description: textValue("Card payments fail at checkout"),
  });

  it("declares the incident as the Slack user, closes, and tells them where it is", async () => {
    const origin = JSON.stringify({ channel_id: "C0WAR", response_url: bot.slack.responseUrl("declare-1") });
    const submitted = await interact(() =>
      viewSubmissionPayload({
        userId: "U0BOB",
        callbackId: "incident_create",
        privateMetadata: origin,
        values: values("Card payments failing"),
      }),
    );
    expect(submitted).toMatchObject({ status: 200, body: null });
    const created = await incidentByTitle(t, "Card payments failing");
    expect(created).toMatchObject({
      severity: "P2",
      service: "payments",
      description: "Card payments fail at checkout",
    });
    expect((await events(created!.id)).at(-1)).toMatchObject({
      kind: "created",
      actorType: "slack",
      actorId: "U0BOB",
      text: "P2 incident declared by Bob: Card payments failing",
    });
    expect((await audits(created!.id, "incident.create"))[0]).toMatchObject({
      actorType: "slack",
      userId: bot.people.bob.id,
    });
    expect(bot.slack.responsesTo("declare-1")).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(
          /^You declared a P2 incident, <https:\/\/vigil\.example\.com\/incidents\/INC-\d+\|INC-\d+>: Card payments failing$/,
        ),
      }),
    ]);
    // The new incident goes out like any other: the routing posts its card.
    await drainJobs(t);
    expect(await notificationsOf(t, created!.id)).not.toEqual([]);
  });

  it("shows a missing title beside the input and declares nothing", async () => {
    const before = await t.sql`select count(*)::int as n from incidents`;
    const submitted = await interact(() =>
      viewSubmissionPayload({
        userId: "U0BOB",
        callbackId: "incident_create",
        privateMetadata: "{}",
        values: values(""),
      }),
    );
    expect(submitted.body).toEqual({ response_action: "errors", errors: { title: "must not be empty" } });
    expect(await t.sql`select count(*)::int as n from incidents`).toEqual(before);
  });

  it("refuses a viewer in the form itself", async () => {
    const before = await t.sql`select count(*)::int as n from incidents`;
    const submitted = await interact(() =>
      viewSubmissionPayload({
        userId: "U0CAROL",
        callbackId: "incident_create",
        privateMetadata: "{}",
        values: values("Viewer's incident"),
      }),
    );
    expect(submitted.body).toEqual({
      response_action: "errors",
      errors: {
        title: expect.stringMatching(/^Your Vigil role is viewer, which does not allow you to declare the incident/),
      },
    });
    expect(await t.sql`select count(*)::int as n from incidents`).toEqual(before);
  });
});
