// The loopback fakes speak their vendors' wire formats, record what they get and fail on demand: checked
// with the real clients where the project has them (@slack/web-api through Bolt, nodemailer), else fetch.
import { webApi } from "@slack/bolt";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  fakeControl,
  FailurePlans,
  pagerDutyControl,
  slackControl,
  startAllFakes,
  startFakePagerDuty,
  startFakeSlack,
  startFakeSms,
  startFakeSmtp,
  type FakePagerDuty,
  type FakeSlack,
  type FakeSms,
  type FakeSmtp,
  type SmsReceived,
  type SmtpReceived,
} from "../index";

const BOT_TOKEN = "xoxb-test-token";
// The client logs Slack's error details itself; these tests provoke them on purpose.
const quiet = () => {};
const silentLogger: webApi.Logger = {
  debug: quiet,
  info: quiet,
  warn: quiet,
  error: quiet,
  setLevel: quiet,
  getLevel: () => webApi.LogLevel.ERROR,
  setName: quiet,
};
const slackClient = (fake: FakeSlack, options: Partial<webApi.WebClientOptions> = {}) =>
  new webApi.WebClient(BOT_TOKEN, {
    slackApiUrl: `${fake.url}/api/`,
    retryConfig: { retries: 0 },
    logger: silentLogger,
    ...options,
  });

/** What a Slack error thrown by @slack/web-api says (`error` for ok:false answers). */
const slackFailure = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    return error as { code: string; data?: { error?: string }; statusCode?: number; retryAfter?: number };
  }
  throw new Error("expected the call to fail");
};

describe("failure plans", () => {
  it("serve queued plans in order and only to the requests they name", () => {
    const plans = new FailurePlans();
    plans.add({ times: 1, status: 500, only: "chat.update" });
    plans.add({ times: 2, delayMs: 10 });
    expect(plans.take(["auth.test"])).toEqual({ kind: "delay", ms: 10 });
    expect(plans.take(["chat.update"])).toMatchObject({ kind: "fail", status: 500 });
    expect(plans.take(["chat.update"])).toEqual({ kind: "delay", ms: 10 });
    expect(plans.take(["chat.update"])).toBeUndefined();
  });
});

describe("Slack fake", () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack({ botToken: BOT_TOKEN });
  });
  beforeEach(() => slack.reset());
  afterAll(() => slack.close());

  it("answers auth.test for the bot token and records the call as form-encoded", async () => {
    const result = await slackClient(slack).auth.test();
    expect(result).toMatchObject({
      ok: true,
      team: "Vigil Test",
      user: "vigil",
      team_id: "T0001",
      user_id: "U0BOT",
      bot_id: "B0BOT",
    });
    expect(slack.received).toEqual([
      expect.objectContaining({ method: "auth.test", contentType: "form", status: 200, ok: true }),
    ]);
  });

  it("posts messages with parsed blocks and metadata, and returns them newest first from conversations.history", async () => {
    const client = slackClient(slack);
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*INC-42* 5xx > 5%" } }];
    const metadata = { event_type: "vigil_incident", event_payload: { incident_id: "INC-42", delivery: "d-1" } };
    const first = await client.chat.postMessage({
      channel: "#incidents-critical",
      text: "INC-42 opened",
      blocks,
      metadata,
    });
    const second = await client.chat.postMessage({ channel: "#incidents-critical", text: "INC-43 opened" });
    expect(first.ok).toBe(true);
    expect(first.channel).toMatch(/^C[0-9A-Z]{10}$/); // Slack answers with the channel id, not the name
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);

    const history = await client.conversations.history({
      channel: first.channel ?? "",
      limit: 10,
      include_all_metadata: true,
    });
    expect(history.messages?.map((m) => m.ts)).toEqual([second.ts, first.ts]);
    expect(history.has_more).toBe(false);
    expect(history.messages?.[1]).toMatchObject({ text: "INC-42 opened", metadata, blocks });
    expect(history.messages?.[0]?.metadata).toBeUndefined();

    expect(slack.messagesIn("incidents-critical").map((m) => m.text)).toEqual(["INC-42 opened", "INC-43 opened"]);
    expect(slack.received[0]?.params).toMatchObject({ channel: "#incidents-critical", blocks, metadata });
  });

  it("filters history by oldest and pages with a cursor", async () => {
    const client = slackClient(slack);
    const posted = [];
    for (const text of ["a", "b", "c"]) posted.push(await client.chat.postMessage({ channel: "C0TESTCHAN1", text }));
    const newer = await client.conversations.history({ channel: "C0TESTCHAN1", oldest: posted[0]?.ts });
    expect(newer.messages?.map((m) => m.text)).toEqual(["c", "b"]);
    const page1 = await client.conversations.history({ channel: "C0TESTCHAN1", limit: 2 });
    expect(page1.messages?.map((m) => m.text)).toEqual(["c", "b"]);
    expect(page1.has_more).toBe(true);
    const page2 = await client.conversations.history({
      channel: "C0TESTCHAN1",
      limit: 2,
      cursor: page1.response_metadata?.next_cursor,
    });
    expect(page2.messages?.map((m) => m.text)).toEqual(["a"]);
  });

  it("keeps threads: replies stay out of history and come back from conversations.replies", async () => {
    const client = slackClient(slack);
    const root = await client.chat.postMessage({ channel: "#incidents-warnings", text: "root" });
    const reply = await client.chat.postMessage({ channel: "#incidents-warnings", text: "reply", thread_ts: root.ts });
    const history = await client.conversations.history({ channel: "#incidents-warnings" });
    expect(history.messages).toHaveLength(1);
    expect(history.messages?.[0]).toMatchObject({ ts: root.ts, thread_ts: root.ts, reply_count: 1 });
    const replies = await client.conversations.replies({ channel: root.channel ?? "", ts: root.ts ?? "" });
    expect(replies.messages?.map((m) => m.text)).toEqual(["root", "reply"]);
    expect(replies.messages?.[1]?.thread_ts).toBe(root.ts);
    expect(slack.threadOf("#incidents-warnings", reply.ts ?? "").map((m) => m.ts)).toEqual([root.ts, reply.ts]);
  });

  it("updates a message in place, keeping its blocks unless new ones are given", async () => {
    const client = slackClient(slack);
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "firing" } }];
    const posted = await client.chat.postMessage({ channel: "#incidents-critical", text: "firing", blocks });
    const updated = await client.chat.update({
      channel: posted.channel ?? "",
      ts: posted.ts ?? "",
      text: "acknowledged",
    });
    expect(updated).toMatchObject({ ok: true, channel: posted.channel, ts: posted.ts });
    const [message] = slack.messagesIn("#incidents-critical");
    expect(message).toMatchObject({ text: "acknowledged", blocks, edited: { user: "U0BOT" } });
    expect(slack.received.map((r) => r.method)).toEqual(["chat.postMessage", "chat.update"]);
    const missing = await slackFailure(
      client.chat.update({ channel: posted.channel ?? "", ts: "1.000001", text: "x" }),
    );
    expect(missing.data?.error).toBe("message_not_found");
  });

  it("accepts JSON bodies as well as form-encoded ones", async () => {
    const res = await fetch(`${slack.url}/api/chat.postMessage`, {
      method: "POST",
      headers: { Authorization: `Bearer ${BOT_TOKEN}`, "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify({ channel: "#json", text: "hi", metadata: { event_type: "t", event_payload: { n: 1 } } }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      ok: true,
      message: { text: "hi", metadata: { event_type: "t", event_payload: { n: 1 } } },
    });
    expect(slack.received[0]).toMatchObject({ contentType: "json", params: { channel: "#json" } });
  });

  it("answers errors as Slack does: HTTP 200 with ok:false", async () => {
    const client = slackClient(slack);
    expect((await slackFailure(client.chat.postMessage({ channel: "#does-not-exist", text: "x" }))).data?.error).toBe(
      "channel_not_found",
    );
    expect((await slackFailure(client.chat.postMessage({ channel: "C_MISSING", text: "x" }))).data?.error).toBe(
      "channel_not_found",
    );
    const wrongToken = new webApi.WebClient("xoxb-wrong", {
      slackApiUrl: `${slack.url}/api/`,
      retryConfig: { retries: 0 },
      logger: silentLogger,
    });
    expect((await slackFailure(wrongToken.auth.test())).data?.error).toBe("invalid_auth");
    expect((await slackFailure(client.apiCall("reactions.add", { channel: "#x", name: "eyes" }))).data?.error).toBe(
      "unknown_method",
    );
    expect((await slackFailure(client.users.info({ user: "U404" }))).data?.error).toBe("user_not_found");
    expect((await slackFailure(client.users.lookupByEmail({ email: "nobody@example.com" }))).data?.error).toBe(
      "users_not_found",
    );
    const longButton = [
      {
        type: "actions",
        elements: [{ type: "button", action_id: "ack", text: { type: "plain_text", text: "x".repeat(76) } }],
      },
    ];
    const invalid = await slackFailure(
      client.chat.postMessage({ channel: "#incidents-critical", text: "x", blocks: longButton }),
    );
    expect(invalid.data).toMatchObject({
      error: "invalid_blocks",
      response_metadata: { messages: [expect.stringContaining("/blocks/0/elements/0/text/text")] },
    });

    const noToken = await fetch(`${slack.url}/api/auth.test`, { method: "POST" });
    expect(noToken.status).toBe(200);
    expect(await noToken.json()).toEqual({ ok: false, error: "not_authed" });
    expect(slack.received.map((r) => r.error)).toEqual([
      "channel_not_found",
      "channel_not_found",
      "invalid_auth",
      "unknown_method",
      "user_not_found",
      "users_not_found",
      "invalid_blocks",
      "not_authed",
    ]);
  });

  it("looks users up from the seeded table, creates channels once, and opens views", async () => {
    const client = slackClient(slack);
    slack.addUser({ id: "U123", name: "bob", email: "bob@example.com" });
    expect((await client.users.info({ user: "U123" })).user?.profile?.email).toBe("bob@example.com");
    expect((await client.users.lookupByEmail({ email: "BOB@example.com" })).user?.id).toBe("U123");
    const created = await client.conversations.create({ name: "inc-42-checkout" });
    expect(created.channel).toMatchObject({ id: expect.stringMatching(/^C/), name: "inc-42-checkout" });
    expect((await slackFailure(client.conversations.create({ name: "inc-42-checkout" }))).data?.error).toBe(
      "name_taken",
    );
    expect((await client.conversations.invite({ channel: created.channel?.id ?? "", users: "U123" })).ok).toBe(true);
    const posted = await client.chat.postMessage({ channel: created.channel?.id ?? "", text: "pin me" });
    expect((await client.pins.add({ channel: created.channel?.id ?? "", timestamp: posted.ts ?? "" })).ok).toBe(true);
    const view = {
      type: "modal" as const,
      callback_id: "resolve",
      title: { type: "plain_text" as const, text: "Resolve" },
      blocks: [],
    };
    const opened = await client.views.open({ trigger_id: "123.456.abc", view });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), callback_id: "resolve", type: "modal" });
    expect(slack.received.at(-1)?.params.view).toEqual(view);
  });

  it("lists channels page by page, posts ephemeral messages without keeping them, and records response_url posts", async () => {
    const client = slackClient(slack);
    slack.addUser({ id: "U123", name: "bob", email: "bob@example.com" });
    const names = ["inc-1-a", "inc-2-b", "inc-3-c"];
    for (const name of names) await client.conversations.create({ name });
    const first = await client.conversations.list({ types: "public_channel,private_channel", limit: 2 });
    const second = await client.conversations.list({
      types: "public_channel,private_channel",
      limit: 2,
      cursor: first.response_metadata?.next_cursor ?? "",
    });
    expect([...(first.channels ?? []), ...(second.channels ?? [])].map((c) => c.name)).toEqual(names);
    expect(second.response_metadata?.next_cursor).toBe("");

    const channel = first.channels?.[0]?.id ?? "";
    expect((await client.chat.postEphemeral({ channel, user: "U123", text: "only you" })).ok).toBe(true);
    expect((await slackFailure(client.chat.postEphemeral({ channel, user: "U404", text: "x" }))).data?.error).toBe(
      "user_not_found",
    );
    expect(slack.messagesIn(channel)).toEqual([]);
    expect(slack.received.filter((r) => r.method === "chat.postEphemeral").map((r) => r.params.text)).toEqual([
      "only you",
      "x",
    ]);

    const res = await fetch(slack.responseUrl("cmd-1"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: "later", response_type: "ephemeral" }),
    });
    expect(res.status).toBe(200);
    expect((await fetch(slack.responseUrl("cmd-1"), { method: "POST", body: "not json" })).status).toBe(400);
    expect(slack.responsesTo("cmd-1")).toEqual([{ text: "later", response_type: "ephemeral" }]);
    expect(await slackControl(slack.url).responses("cmd-1")).toEqual([
      expect.objectContaining({ id: "cmd-1", body: { text: "later", response_type: "ephemeral" } }),
    ]);
    slack.reset();
    expect(slack.responses).toEqual([]);
  });

  it("fails three times with 500, then succeeds (attempts recorded and flagged)", async () => {
    slack.fail({ times: 3, status: 500 });
    const client = slackClient(slack, { retryConfig: { retries: 3, minTimeout: 5, maxTimeout: 10, factor: 1 } });
    const result = await client.chat.postMessage({ channel: "#incidents-critical", text: "eventually" });
    expect(result.ok).toBe(true);
    expect(slack.received.map((r) => r.failedWith)).toEqual([500, 500, 500, undefined]);
    expect(slack.messagesIn("#incidents-critical")).toHaveLength(1);
  });

  it("rate limits with HTTP 429, Retry-After and ok:false ratelimited", async () => {
    slack.fail({ times: 1, status: 429, retryAfterSeconds: 2 });
    const error = await slackFailure(
      slackClient(slack, { rejectRateLimitedCalls: true }).chat.postMessage({
        channel: "#incidents-critical",
        text: "x",
      }),
    );
    expect(error).toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 2 });
    slack.fail({ times: 1, status: 429 });
    const res = await fetch(`${slack.url}/api/chat.postMessage`, {
      method: "POST",
      headers: { Authorization: `Bearer ${BOT_TOKEN}` },
      body: "channel=x&text=y",
    });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toEqual({ ok: false, error: "ratelimited" });
    expect(slack.received.map((r) => r.failedWith)).toEqual([429, 429]);
    expect(slack.messagesIn("#incidents-critical")).toEqual([]);
  });

  it("handles a delayed request at once and answers it late", async () => {
    slack.fail({ times: 1, delayMs: 400 });
    const started = Date.now();
    const call = slackClient(slack).chat.postMessage({ channel: "#incidents-critical", text: "slow" });
    await expect.poll(() => slack.messagesIn("#incidents-critical").length).toBe(1); // posted before the answer
    expect(slack.received[0]).toMatchObject({ delayedMs: 400, ok: true });
    expect((await call).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it("limits a plan to one method with `only`", async () => {
    slack.fail({ times: 1, status: 500, only: "chat.postMessage" });
    const client = slackClient(slack);
    expect((await client.auth.test()).ok).toBe(true);
    expect((await slackFailure(client.chat.postMessage({ channel: "#x", text: "x" }))).code).toBe(
      webApi.ErrorCode.HTTPError,
    );
  });

  it("is inspected and steered over HTTP under /__fake/", async () => {
    const control = slackControl(slack.url);
    await control.addUser({ id: "U777", name: "ann", email: "ann@example.com" });
    await control.fail({ times: 1, status: 503 });
    const client = slackClient(slack);
    await slackFailure(client.chat.postMessage({ channel: "#ops", text: "lost" }));
    const posted = await client.chat.postMessage({ channel: "#ops", text: "kept", thread_ts: undefined });
    expect((await client.users.info({ user: "U777" })).user?.name).toBe("ann");
    expect((await control.received()).map((r) => [r.method, r.failedWith])).toEqual([
      ["chat.postMessage", 503],
      ["chat.postMessage", undefined],
      ["users.info", undefined],
    ]);
    expect((await control.messagesIn("#ops")).map((m) => m.ts)).toEqual([posted.ts]);
    expect(await control.threadOf("#ops", posted.ts ?? "")).toHaveLength(1);
    const bad = await fetch(`${slack.url}/__fake/fail`, {
      method: "POST",
      body: JSON.stringify({ times: 0, status: 500 }),
    });
    expect(bad.status).toBe(400);
    await control.reset();
    expect(await control.received()).toEqual([]);
    expect(slack.messagesIn("#ops")).toEqual([]);
  });
});

describe("PagerDuty fake", () => {
  const routingKey = "0123456789abcdef0123456789abcdef";
  let pd: FakePagerDuty;
  beforeAll(async () => {
    pd = await startFakePagerDuty();
  });
  beforeEach(() => pd.reset());
  afterAll(() => pd.close());

  const enqueue = async (event: unknown) => {
    const res = await fetch(`${pd.url}/v2/enqueue`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: typeof event === "string" ? event : JSON.stringify(event),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const trigger = (dedupKey?: string, summary = "5xx > 5% on api") => ({
    routing_key: routingKey,
    event_action: "trigger",
    ...(dedupKey ? { dedup_key: dedupKey } : {}),
    payload: { summary, source: "web-1", severity: "critical", custom_details: { fingerprint: "dc667fabad98b2d0" } },
  });

  it("opens one incident per dedup_key and follows it through acknowledge and resolve", async () => {
    expect(await enqueue(trigger("INC-42"))).toMatchObject({
      status: 202,
      body: { status: "success", message: "Event processed", dedup_key: "INC-42" },
    });
    expect((await enqueue(trigger("INC-42"))).status).toBe(202);
    expect(pd.incidents()).toEqual([
      expect.objectContaining({ dedupKey: "INC-42", status: "triggered", triggerCount: 2, severity: "critical" }),
    ]);
    expect((await enqueue({ routing_key: routingKey, event_action: "acknowledge", dedup_key: "INC-42" })).status).toBe(
      202,
    );
    expect(pd.incident("INC-42")?.status).toBe("acknowledged");
    expect((await enqueue({ routing_key: routingKey, event_action: "resolve", dedup_key: "INC-42" })).status).toBe(202);
    expect(pd.incident("INC-42")?.status).toBe("resolved");
    expect(pd.events("INC-42").map((e) => e.event_action)).toEqual(["trigger", "trigger", "acknowledge", "resolve"]);

    await enqueue(trigger("INC-42")); // after a resolve, the same key opens a new incident
    expect(pd.incidents().map((i) => i.status)).toEqual(["resolved", "triggered"]);
    await enqueue({ routing_key: routingKey, event_action: "resolve", dedup_key: "never-triggered" });
    expect(pd.incident("never-triggered")).toBeUndefined();
  });

  it("generates a dedup_key for a trigger without one", async () => {
    const { body } = await enqueue(trigger());
    expect(body.dedup_key).toMatch(/^[0-9a-f]{32}$/);
    expect(pd.incident(String(body.dedup_key))?.status).toBe("triggered");
  });

  it("rejects invalid events with 400 invalid event and changes nothing", async () => {
    const cases: [unknown, string][] = [
      [{ ...trigger("a"), routing_key: "short" }, "Length of 'routing_key' is incorrect (should be 32 characters)"],
      [{ ...trigger("a"), event_action: "snooze" }, "'event_action' is invalid"],
      [
        { ...trigger("a"), payload: { source: "web-1", severity: "critical" } },
        "'payload.summary' is missing or blank",
      ],
      [trigger("a", "x".repeat(1025)), "'payload.summary'"],
      [
        { ...trigger("a"), payload: { summary: "s", source: "web-1", severity: "fatal" } },
        "'payload.severity' is invalid",
      ],
      [{ routing_key: routingKey, event_action: "acknowledge" }, "'dedup_key' is missing or blank"],
      ["{not json", "JSON"],
    ];
    for (const [event, error] of cases) {
      const { status, body } = await enqueue(event);
      expect(status).toBe(400);
      expect(body).toMatchObject({
        status: "invalid event",
        message: "Event object is invalid",
        errors: [expect.stringContaining(error)],
      });
    }
    expect(pd.incidents()).toEqual([]);
    expect(pd.received.every((r) => r.status === 400 && r.errors?.length === 1)).toBe(true);
    expect(await enqueue(trigger("a", "x".repeat(1024)))).toMatchObject({ status: 202 });
  });

  it("fails 500 three times then accepts; 429 carries Retry-After; attempts and deliveries can be told apart", async () => {
    pd.fail({ times: 3, status: 500 });
    for (let i = 0; i < 3; i++) expect((await enqueue(trigger("INC-1"))).status).toBe(500);
    expect((await enqueue(trigger("INC-1"))).status).toBe(202);
    pd.fail({ times: 1, status: 429, retryAfterSeconds: 2 });
    const limited = await enqueue(trigger("INC-1"));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(pd.received).toHaveLength(5);
    expect(pd.received.filter((r) => r.failedWith === undefined && r.status === 202)).toHaveLength(1);
    expect(pd.incident("INC-1")?.triggerCount).toBe(1);
  });

  it("applies a plan to one event_action only, and delays without losing the event", async () => {
    pd.fail({ times: 1, status: 502, only: "resolve" });
    pd.fail({ times: 1, delayMs: 300 });
    const started = Date.now();
    expect((await enqueue(trigger("INC-2"))).status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await enqueue({ routing_key: routingKey, event_action: "resolve", dedup_key: "INC-2" })).status).toBe(502);
    expect(pd.incident("INC-2")?.status).toBe("triggered");
  });

  it("is inspected and steered over HTTP under /__fake/", async () => {
    const control = pagerDutyControl(pd.url);
    await control.fail({ times: 1, status: 500, body: { status: "error", message: "boom" } });
    expect(await enqueue(trigger("INC-9"))).toMatchObject({ status: 500, body: { message: "boom" } });
    await enqueue(trigger("INC-9"));
    expect((await control.received()).map((r) => r.status)).toEqual([500, 202]);
    expect((await control.incidents()).map((i) => i.dedupKey)).toEqual(["INC-9"]);
    expect(await control.events("INC-9")).toHaveLength(1);
    await control.reset();
    expect(pd.incidents()).toEqual([]);
  });
});

describe("SMS fake (Twilio Messages API)", () => {
  const accountSid = "AC0123456789abcdef0123456789abcdef";
  const authToken = "token0123456789";
  let sms: FakeSms;
  beforeAll(async () => {
    sms = await startFakeSms({ accountSid, authToken });
  });
  beforeEach(() => sms.reset());
  afterAll(() => sms.close());

  const send = async (form: Record<string, string>, credentials = `${accountSid}:${authToken}`) => {
    const res = await fetch(`${sms.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(credentials).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const page = { To: "+15551234567", From: "+15550000000", Body: "INC-42 P1: 5xx > 5% on api" };

  it("records a voice call (Calls.json with inline TwiML) apart from the messages", async () => {
    const twiml =
      '<Response><Gather numDigits="1" action="https://v.example/ack" method="POST"><Say>Press 1</Say></Gather></Response>';
    const res = await fetch(`${sms.url}/2010-04-01/Accounts/${accountSid}/Calls.json`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ To: page.To, From: page.From, Twiml: twiml }).toString(),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ sid: expect.stringMatching(/^CA[0-9a-f]{32}$/), status: "queued" });
    expect(sms.calls()).toEqual([expect.objectContaining({ to: page.To, from: page.From, twiml })]);
    expect(sms.messages()).toEqual([]);
    expect(sms.received).toEqual([expect.objectContaining({ resource: "Calls", status: 201 })]);
  });

  it("queues a message and answers 201 like Twilio", async () => {
    const { status, body } = await send(page);
    expect(status).toBe(201);
    expect(body).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      status: "queued",
      to: page.To,
      from: page.From,
      body: page.Body,
      account_sid: accountSid,
    });
    expect(sms.received).toEqual([
      expect.objectContaining({ status: 201, authorized: true, to: page.To, body: page.Body, sid: body.sid }),
    ]);
    expect(sms.messages()).toHaveLength(1);
  });

  it("answers 401 without the right Basic credentials and 400 for a missing To or Body", async () => {
    expect(await send(page, `${accountSid}:wrong`)).toEqual({
      status: 401,
      body: expect.objectContaining({ code: 20003, message: "Authenticate", status: 401 }),
    });
    expect(await send({ From: page.From, Body: "x" })).toEqual({
      status: 400,
      body: expect.objectContaining({ code: 21604, message: "A 'To' phone number is required.", status: 400 }),
    });
    expect((await send({ To: page.To, From: page.From })).body).toMatchObject({ code: 21602, status: 400 });
    expect(sms.received.map((r) => [r.status, r.errorCode])).toEqual([
      [401, 20003],
      [400, 21604],
      [400, 21602],
    ]);
    expect(sms.messages()).toEqual([]);
  });

  it("follows failure plans, and can be steered over HTTP", async () => {
    const control = fakeControl<SmsReceived>(sms.url);
    await control.fail({ times: 2, status: 503 });
    expect((await send(page)).status).toBe(503);
    expect((await send(page)).status).toBe(503);
    expect((await send(page)).status).toBe(201);
    expect((await control.received()).map((r) => r.failedWith ?? r.status)).toEqual([503, 503, 201]);
    await control.reset();
    expect(sms.received).toEqual([]);
  });
});

describe("SMTP fake", () => {
  let smtp: FakeSmtp;
  beforeAll(async () => {
    smtp = await startFakeSmtp();
  });
  beforeEach(() => smtp.reset());
  afterAll(() => smtp.close());

  // Credentials ride in the URL, as in SMTP_URL (nodemailer ignores an `auth` option next to `url`).
  const transport = (auth?: { user: string; pass: string }) => {
    const url = new URL(smtp.smtpUrl);
    if (auth) [url.username, url.password] = [auth.user, auth.pass];
    return nodemailer.createTransport({ url: url.toString(), ignoreTLS: true });
  };
  const mail = {
    from: "Vigil <vigil@example.com>",
    to: "oncall@example.com",
    bcc: "audit@example.com",
    subject: "[P1] INC-42 5xx > 5%",
    text: "Open INC-42",
    html: "<p>Open <b>INC-42</b></p>",
    headers: { "X-Vigil-Incident": "INC-42" },
  };

  it("receives a real SMTP conversation and parses the message", async () => {
    const info = await transport().sendMail(mail);
    expect(info.response).toMatch(/^250/);
    expect(smtp.received).toEqual([
      expect.objectContaining({
        status: 250,
        from: "vigil@example.com",
        fromHeader: expect.stringContaining("vigil@example.com"),
        to: ["oncall@example.com"],
        subject: mail.subject,
        text: "Open INC-42",
        html: mail.html,
        messageId: info.messageId,
        envelope: { mailFrom: "vigil@example.com", rcptTo: ["oncall@example.com", "audit@example.com"] },
      }),
    ]);
    expect(smtp.received[0]?.headers["x-vigil-incident"]).toBe("INC-42");
  });

  it("answers DATA with the planned SMTP code, then accepts again", async () => {
    smtp.fail({ times: 1, status: 451 });
    const error = await transport()
      .sendMail(mail)
      .then(
        () => undefined,
        (e: unknown) => e as { responseCode?: number },
      );
    expect(error?.responseCode).toBe(451);
    await transport().sendMail(mail);
    expect(smtp.received.map((r) => [r.status, r.failedWith])).toEqual([
      [451, 451],
      [250, undefined],
    ]);
  });

  it("records who authenticated, and is steered over its separate HTTP control port", async () => {
    const control = fakeControl<SmtpReceived>(smtp.controlUrl);
    await control.fail({ times: 1, status: 550, body: "mailbox unavailable" });
    const error = await transport({ user: "vigil", pass: "secret" })
      .sendMail(mail)
      .then(
        () => undefined,
        (e: unknown) => e as { responseCode?: number; response?: string },
      );
    expect(error).toMatchObject({ responseCode: 550, response: expect.stringContaining("mailbox unavailable") });
    await transport({ user: "vigil", pass: "secret" }).sendMail(mail);
    const received = await control.received();
    expect(received.map((r) => [r.status, r.authUser])).toEqual([
      [550, "vigil"],
      [250, "vigil"],
    ]);
    await control.reset();
    expect(smtp.received).toEqual([]);
  });
});

describe("startAllFakes", () => {
  it("starts the four fakes and gives the environment that points Vigil at them", async () => {
    const fakes = await startAllFakes();
    try {
      const { env } = fakes;
      expect(env.PAGERDUTY_ROUTING_KEY).toHaveLength(32);
      expect(env.SLACK_API_URL).toBe(`${fakes.slack.url}/api/`);
      expect(env.SMTP_URL).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
      expect(env).toMatchObject({
        SLACK_CHANNEL_CRITICAL: "#incidents-critical",
        SLACK_CHANNEL_WARNINGS: "#incidents-warnings",
        SMS_FROM: "+15550000000",
        SMS_TO: "+15551234567",
        EMAIL_FROM: "vigil@example.com",
        ALERT_EMAIL_TO: "oncall@example.com",
      });

      const slack = new webApi.WebClient(env.SLACK_BOT_TOKEN, {
        slackApiUrl: env.SLACK_API_URL,
        retryConfig: { retries: 0 },
        logLevel: webApi.LogLevel.ERROR,
      });
      await slack.chat.postMessage({ channel: env.SLACK_CHANNEL_CRITICAL, text: "hello" });
      const pd = await fetch(`${env.PAGERDUTY_EVENTS_URL}/v2/enqueue`, {
        method: "POST",
        body: JSON.stringify({
          routing_key: env.PAGERDUTY_ROUTING_KEY,
          event_action: "trigger",
          payload: { summary: "s", source: "x", severity: "info" },
        }),
      });
      const sms = await fetch(`${env.SMS_API_URL}/2010-04-01/Accounts/${env.SMS_ACCOUNT_SID}/Messages.json`, {
        method: "POST",
        headers: {
          Authorization: `Basic ${Buffer.from(`${env.SMS_ACCOUNT_SID}:${env.SMS_AUTH_TOKEN}`).toString("base64")}`,
        },
        body: new URLSearchParams({ To: env.SMS_TO, From: env.SMS_FROM, Body: "hi" }),
      });
      await nodemailer
        .createTransport({ url: env.SMTP_URL, ignoreTLS: true })
        .sendMail({ from: env.EMAIL_FROM, to: env.ALERT_EMAIL_TO, subject: "s", text: "t" });
      expect([pd.status, sms.status]).toEqual([202, 201]);
      for (const url of Object.values(fakes.controlUrls)) expect(await fakeControl(url).received()).toHaveLength(1);
      fakes.reset();
      expect(
        fakes.slack.received.length +
          fakes.pagerduty.received.length +
          fakes.sms.received.length +
          fakes.smtp.received.length,
      ).toBe(0);
    } finally {
      await fakes.close();
    }
  });
});
