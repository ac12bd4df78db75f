// /incident and /runbook through POST /api/slack/commands, signed like Slack, against the fake Slack Web
// API: each command's reply and its effect through the verbs, with timeline and audit rows naming the
// Vigil user and saying Slack; refusals for viewers, unknown users and bad signatures.
import { describe, expect, it, vi } from "vitest";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { reassignIncident } from "@/lib/escalation/manual";
import { createIncident } from "@/lib/incidents/create-incident";
import { createPolicy } from "@/lib/oncall/policies";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { getRuntime } from "@/lib/runtime";
import { handleSlackRequest } from "@/lib/slack-bot/slack-request";
import { admin, ctxOf } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { ingestionSettings } from "@/test/notifications";
import {
  commandBody,
  eventBody,
  FORM,
  interactionBody,
  blockActionPayload,
  postSigned,
  settle,
  slackHeaders,
  useSlackBot,
} from "@/test/slack";
import * as commands from "../commands/route";
import * as events from "../events/route";
import * as interactions from "../interactions/route";
import {
  auditRowsOf,
  incidentRow as incidentRowOf,
  insertUser,
  setIncidentSlackChannel,
  timelineOf,
} from "@/test/records";

// Outside Next there is no request scope for after(): collect the work and await it in the tests.
const deferred = vi.hoisted(() => [] as Promise<unknown>[]);
vi.mock("next/server", () => ({ after: (work: Promise<unknown>) => void deferred.push(work) }));

const t = useTestDatabase();
const bot = useSlackBot(t);
const PATH = "/api/slack/commands";

let replies = 0;
/** Runs a slash command as a Slack user; `reply` is the HTTP answer's JSON (null when empty). */
async function slash(text: string, userId: string, options: { command?: string; channelId?: string } = {}) {
  const responseId = `cmd-${++replies}`;
  const res = await postSigned(
    commands.POST,
    PATH,
    commandBody({ text, userId, responseUrl: bot.slack.responseUrl(responseId), ...options }),
    FORM,
  );
  const body = await res.text();
  await settle(deferred);
  return {
    status: res.status,
    reply: body ? (JSON.parse(body) as { text: string; response_type?: string; blocks?: unknown[] }) : null,
    later: bot.slack.responsesTo(responseId),
  };
}

const newIncident = async (title = "Checkout 5xx above 5%", severity: "P1" | "P3" = "P1") =>
  (await createIncident({ ctx: ctxOf(t.db, admin), input: { title, severity, service: "checkout" } })).incident;
const incidentRow = async (id: string) => (await incidentRowOf(t, id))!;
const lastEvent = async (incidentId: string) => (await timelineOf(t, incidentId))[0]!;
const auditRows = (incidentId: string, action: string) => auditRowsOf(t, incidentId, action);
const counts = async () =>
  (
    await t.sql<{ audit: number; timeline: number; incidents: number }[]>`
  select (select count(*)::int from audit_log) as audit, (select count(*)::int from timeline_events) as timeline, (select count(*)::int from incidents) as incidents`
  )[0]!;

describe("signatures on the three Slack endpoints", () => {
  const routes = [
    {
      name: "commands",
      handler: commands.POST,
      body: () => commandBody({ text: "ack INC-1", userId: "U0BOB", responseUrl: bot.slack.responseUrl("sig") }),
      type: FORM,
    },
    {
      name: "interactions",
      handler: interactions.POST,
      body: () =>
        interactionBody(
          blockActionPayload({
            userId: "U0BOB",
            actionId: "incident_acknowledge",
            value: crypto.randomUUID(),
            responseUrl: bot.slack.responseUrl("sig"),
          }),
        ),
      type: FORM,
    },
    {
      name: "events",
      handler: events.POST,
      body: () =>
        eventBody({
          type: "pin_added",
          user: "U0BOB",
          channel_id: "C1",
          item: { type: "message", channel: "C1", message: { ts: "1.000001", text: "x" } },
        }),
      type: "application/json",
    },
  ];

  it("refuses a wrong signature, another secret, no signature, and a stale or future timestamp with 401, changing nothing", async () => {
    const incident = await newIncident();
    const before = await counts();
    for (const route of routes) {
      const raw = route.body().replace("INC-1", incident.ref);
      const now = Math.floor(Date.now() / 1000);
      const attempts: Record<string, Record<string, string>> = {
        "tampered body": slackHeaders(`${raw}&x=1`, route.type),
        "another secret": slackHeaders(raw, route.type, { secret: "not-our-secret" }),
        "no signature": { "content-type": route.type },
        "six minutes old": slackHeaders(raw, route.type, { timestamp: now - 360 }),
        "six minutes ahead": slackHeaders(raw, route.type, { timestamp: now + 360 }),
      };
      for (const [why, headers] of Object.entries(attempts)) {
        const res = await route.handler(
          new Request(`http://localhost:3000/api/slack/${route.name}`, { method: "POST", headers, body: raw }),
          { params: Promise.resolve({}) },
        );
        expect(res.status, `${route.name}: ${why}`).toBe(401);
        expect(res.headers.get("content-type"), `${route.name}: ${why}`).toBe("application/problem+json");
      }
    }
    await settle(deferred);
    expect(await counts()).toEqual(before);
    expect((await incidentRow(incident.id)).status).toBe("open");
    expect(bot.slack.received, "nothing may reach Slack for an unsigned request").toEqual([]);
  });
});

describe("/incident", () => {
  it("acknowledges as the linked Vigil user: in-channel reply, timeline and audit say Slack", async () => {
    const incident = await newIncident();
    const { status, reply } = await slash(`ack ${incident.ref}`, "U0BOB");
    expect(status).toBe(200);
    expect(reply).toEqual({
      response_type: "in_channel",
      text: `Bob acknowledged <https://vigil.example.com/incidents/${incident.ref}|${incident.ref}>: Checkout 5xx above 5%`,
    });
    expect((await incidentRow(incident.id)).status).toBe("acknowledged");
    expect(await lastEvent(incident.id)).toMatchObject({
      kind: "acknowledged",
      actorType: "slack",
      actorId: "U0BOB",
      actorName: "Bob",
      text: "Acknowledged by Bob",
    });
    const [audit] = await auditRows(incident.id, "incident.acknowledge");
    expect(audit).toMatchObject({ actorType: "slack", actorId: "U0BOB", actorName: "Bob", userId: bot.people.bob.id });

    const again = await slash(`ack ${incident.ref}`, "U0BOB");
    expect(again.reply).toEqual({ response_type: "ephemeral", text: `${incident.ref} is already acknowledged.` });
  });

  it("escalates now as the linked Vigil user, and says why not when nothing escalates", async () => {
    const incident = await newIncident("Queue stuck");
    const idle = await slash(`escalate ${incident.ref}`, "U0BOB");
    expect(idle.reply?.text).toContain("has no running escalation");
    await createPolicy({
      ctx: ctxOf(t.db, admin),
      input: {
        name: "Slack escalate",
        steps: [1, 2].map(() => ({
          delay_minutes: 5,
          targets: [{ type: "user" as const, user_id: bot.people.alice.id }],
        })),
      },
    });
    await reassignIncident({ ctx: ctxOf(t.db, admin), input: { ref: incident.ref, policy: "Slack escalate" } });
    const { reply } = await slash(`escalate ${incident.ref}`, "U0BOB");
    expect(reply).toEqual({
      response_type: "in_channel",
      text: `Bob escalated <https://vigil.example.com/incidents/${incident.ref}|${incident.ref}>: Queue stuck`,
    });
    expect((await timelineOf(t, incident.id)).map((e) => e.text)).toContain("Bob escalated now: step 2");
  });

  it("lists the active incidents with severity, status, owner and age, and shows one with its timeline", async () => {
    const active = await newIncident("Payments API latency");
    const done = await newIncident("Old and finished");
    await resolveIncident({ ctx: ctxOf(t.db, admin), input: { ref: done.ref } });

    const list = await slash("list", "U0CAROL");
    expect(list.reply?.response_type).toBe("ephemeral");
    expect(list.reply?.text).toMatch(
      new RegExp(
        `🔴 \\*P1\\* <https://vigil.example.com/incidents/${active.ref}\\|${active.ref}> Payments API latency · open · unassigned · \\d+s`,
      ),
    );
    expect(list.reply?.text).not.toContain("Old and finished");

    const shown = await slash(`show ${active.ref.toLowerCase()}`, "U0CAROL");
    expect(shown.reply?.response_type).toBe("ephemeral");
    expect(JSON.stringify(shown.reply?.blocks)).toContain(`${active.ref}: Payments API latency`);
    expect(JSON.stringify(shown.reply?.blocks)).toContain("Latest on the timeline");
  });

  it("assigns by mention, resolves with a note and adds notes, each through its verb", async () => {
    const incident = await newIncident();
    const assigned = await slash(`assign ${incident.ref} <@U0CAROL|carol>`, "U0BOB");
    expect(assigned.reply).toMatchObject({
      response_type: "in_channel",
      text: expect.stringContaining("Bob made Carol the owner of"),
    });
    expect((await incidentRow(incident.id)).ownerId).toBe(bot.people.carol.id);
    expect((await auditRows(incident.id, "incident.update"))[0]).toMatchObject({
      actorType: "slack",
      userId: bot.people.bob.id,
    });

    const noted = await slash(
      `note ${incident.ref} Rolled back <https://deploys.example/42|deploy 42> &amp; watching`,
      "U0BOB",
    );
    expect(noted.reply).toEqual({ response_type: "ephemeral", text: `Added your note to ${incident.ref}'s timeline.` });
    expect(await lastEvent(incident.id)).toMatchObject({
      kind: "note",
      actorType: "slack",
      actorName: "Bob",
      text: "Rolled back deploy 42 (https://deploys.example/42) & watching",
    });
    expect((await auditRows(incident.id, "incident.add_timeline_event"))[0]).toMatchObject({
      actorType: "slack",
      userId: bot.people.bob.id,
    });

    const resolved = await slash(`resolve ${incident.ref} error rate back under 1%`, "U0ALICE");
    expect(resolved.reply?.text).toContain("Alice resolved");
    expect(await incidentRow(incident.id)).toMatchObject({
      status: "resolved",
      resolutionNote: "error rate back under 1%",
    });
    expect((await auditRows(incident.id, "incident.resolve"))[0]).toMatchObject({
      actorType: "slack",
      actorId: "U0ALICE",
      userId: bot.people.alice.id,
    });
  });

  it("assigns to the caller with `me` and explains a mention of someone Vigil does not know", async () => {
    const incident = await newIncident();
    expect((await slash(`assign ${incident.ref} me`, "U0BOB")).reply?.text).toContain("Bob made Bob the owner");
    const stranger = await slash(`assign ${incident.ref} <@U0NOBODY|nobody>`, "U0BOB");
    expect(stranger.reply).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringContaining("<@U0NOBODY> has no Vigil account"),
    });
    expect((await incidentRow(incident.id)).ownerId).toBe(bot.people.bob.id);
  });

  it("opens the declaration form for /incident create, with the title given", async () => {
    const { status, reply } = await slash("create Checkout is down", "U0BOB", { channelId: "C0WAR" });
    expect(status).toBe(200);
    expect(reply).toBeNull(); // a silent acknowledgement: the form is the answer
    const opened = bot.slack.received.find((r) => r.method === "views.open");
    expect(opened?.ok).toBe(true);
    expect(opened?.params.view).toMatchObject({ type: "modal", callback_id: "incident_create" });
    expect(JSON.stringify(opened?.params.view)).toContain('"initial_value":"Checkout is down"');
    expect(JSON.parse((opened?.params.view as { private_metadata: string }).private_metadata)).toMatchObject({
      channel_id: "C0WAR",
      response_url: expect.stringContaining("/response/cmd-"),
    });
  });

  it("lets a viewer list and show but not act, saying why, and changes nothing", async () => {
    const incident = await newIncident();
    const before = await counts();
    for (const text of [
      `ack ${incident.ref}`,
      `resolve ${incident.ref}`,
      `note ${incident.ref} hello`,
      `assign ${incident.ref} me`,
      "create",
    ]) {
      const { reply } = await slash(text, "U0CAROL");
      expect(reply?.response_type, text).toBe("ephemeral");
      expect(reply?.text, text).toMatch(/Your Vigil role is \*viewer\*, which does not allow you to/);
    }
    expect(await counts()).toEqual(before);
    expect(bot.slack.received.filter((r) => r.method === "views.open")).toEqual([]);
    expect((await slash(`show ${incident.ref}`, "U0CAROL")).reply?.response_type).toBe("ephemeral");
  });

  it("refuses a responder an admin disabled, saying so, and changes nothing", async () => {
    await insertUser(t, {
      email: "dana@example.com",
      name: "Dana",
      role: "responder",
      slackUserId: "U0DANA",
      disabledAt: new Date(),
    });
    const incident = await newIncident();
    const before = await counts();
    const { reply } = await slash(`ack ${incident.ref}`, "U0DANA");
    expect(reply).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringMatching(/Your Vigil account is disabled/),
    });
    expect(await counts()).toEqual(before);
  });

  it("answers help, unknown input and a missing incident with usage help, never a stack trace", async () => {
    expect((await slash("help", "U0BOB")).reply?.text).toContain("/incident assign INC-123 @someone");
    expect((await slash("", "U0BOB")).reply?.text).toContain("Vigil's /incident commands");
    const unknown = await slash("frobnicate INC-1", "U0BOB");
    expect(unknown.reply?.text).toMatch(/^I don't know `frobnicate`\.\n\n\*Vigil's \/incident commands\*/);
    expect((await slash("ack", "U0BOB")).reply?.text).toContain("Name the incident, e.g. `/incident ack INC-123`");
    const missing = await slash("ack INC-999999", "U0BOB");
    expect(missing.reply).toEqual({
      response_type: "ephemeral",
      text: "Incident INC-999999 was not found. `/incident list` shows the active incidents.",
    });
    expect(JSON.stringify([unknown, missing])).not.toMatch(/at .*\.ts:\d+|Error:/);
  });

  it("starts, lists and ends a maintenance window as the linked user; a viewer may only list", async () => {
    const before = await counts();
    const refused = await slash("maintenance start 2h service=checkout db upgrade", "U0CAROL");
    expect(refused.reply?.text).toMatch(
      /Your Vigil role is \*viewer\*, which does not allow you to start a maintenance window/,
    );
    expect(await counts()).toEqual(before);

    const started = await slash("maintenance start 2h service=checkout env=prod Postgres 17 upgrade", "U0BOB");
    expect(started.reply).toMatchObject({
      response_type: "in_channel",
      text: expect.stringMatching(
        /^Bob started maintenance window \*service=checkout, env=prod\* until .* UTC: matching incidents open but page nobody\. Postgres 17 upgrade/,
      ),
    });
    const [window] = await t.sql<{ id: string; created_by_name: string }[]>`
      select id, created_by_name from maintenance_windows where reason = 'Postgres 17 upgrade'`;
    expect(window?.created_by_name).toBe("Bob");
    const [audit] = await auditRows(window!.id, "maintenance_window.create");
    expect(audit).toMatchObject({ actorType: "slack", actorId: "U0BOB", userId: bot.people.bob.id });

    const listed = await slash("maintenance list", "U0CAROL");
    expect(listed.reply?.text).toContain(window!.id);
    expect((await slash(`maintenance end ${window!.id}`, "U0CAROL")).reply?.text).toMatch(/does not allow you to end/);
    const ended = await slash(`maintenance end ${window!.id}`, "U0BOB");
    expect(ended.reply?.text).toBe(
      "Bob ended maintenance window *service=checkout, env=prod*: paging is back to normal.",
    );
    expect((await slash("maintenance start 20d team=x why", "U0BOB")).reply?.text).toMatch(
      /duration: must be at most 14 days/,
    );
  });

  it("snoozes an alert-born incident's group as the linked user, and explains why a declared one cannot be", async () => {
    const result = await ingestAlertmanagerPayload({
      ctx: ctxOf(t.db, admin),
      input: webhook(`{}:{slack="snooze"}`, [alert({ labels: { alertname: "DiskFull", service: "blobs" } })]),
      settings: { ...ingestionSettings },
    });
    const ref = result.incidents.created[0]!;
    const { reply } = await slash(`snooze ${ref} 30m`, "U0BOB");
    expect(reply).toMatchObject({
      response_type: "in_channel",
      text: expect.stringMatching(
        new RegExp(`^Bob snoozed until \\d\\d:\\d\\d UTC the alert group of <[^|]+\\|${ref}>`),
      ),
    });
    const [snooze] = await t.sql<{ kind: string; created_by_name: string; minutes: number }[]>`
      select kind, created_by_name, extract(epoch from ends_at - starts_at) / 60 as minutes
        from maintenance_windows where name = ${`Snooze of ${ref}`}`;
    expect(snooze).toMatchObject({ kind: "snooze", created_by_name: "Bob" });
    expect(Number(snooze!.minutes)).toBe(30);

    const declared = await newIncident();
    expect((await slash(`snooze ${declared.ref}`, "U0BOB")).reply?.text).toMatch(/no alert group to snooze/);
  });

  it("acts on the incident whose own channel the command was typed in", async () => {
    const incident = await newIncident();
    await setIncidentSlackChannel(t, incident.id, "C0INC42");
    expect((await slash("ack", "U0BOB", { channelId: "C0INC42" })).reply?.text).toContain(
      `Bob acknowledged <https://vigil.example.com/incidents/${incident.ref}|`,
    );
    expect((await slash("note the cache is cold", "U0BOB", { channelId: "C0INC42" })).reply?.text).toBe(
      `Added your note to ${incident.ref}'s timeline.`,
    );
    expect(await lastEvent(incident.id)).toMatchObject({ kind: "note", text: "the cache is cold" });
  });

  it("answers through response_url when the work outlasts the acknowledgement window", async () => {
    const incident = await newIncident();
    const raw = commandBody({
      text: `ack ${incident.ref}`,
      userId: "U0BOB",
      responseUrl: bot.slack.responseUrl("slow"),
    });
    const work: Promise<void>[] = [];
    const req = new Request("http://localhost:3000/api/slack/commands", {
      method: "POST",
      headers: slackHeaders(raw, FORM),
      body: raw,
    });
    // A window of 0 ms closes before the verb is done: Slack gets an empty 200, the reply comes later.
    const res = await handleSlackRequest({
      req,
      requestId: "r-slow",
      log: getRuntime().logger,
      defer: (w) => work.push(w),
      ackTimeoutMs: 0,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    await Promise.all(work);
    expect(bot.slack.responsesTo("slow")).toEqual([
      expect.objectContaining({ response_type: "in_channel", text: expect.stringContaining("Bob acknowledged") }),
    ]);
    expect((await incidentRow(incident.id)).status).toBe("acknowledged");
  });
});

// /runbook: see slack-runbooks.test.ts.
