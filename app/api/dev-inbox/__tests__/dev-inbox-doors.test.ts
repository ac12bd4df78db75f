// The dev inbox's vendor look-alikes, reached the way the production senders reach a vendor: sendSms and
// the Slack client pointed at them over HTTP keep what they send; a voice call keeps its spoken words;
// outside dev-inbox mode the doors are not there (404).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDevInboxMessages } from "@/lib/dev-inbox/inbox";
import { loadConfig } from "@/lib/env";
import { slackClient } from "@/lib/integrations/slack/web-api";
import { sendSms } from "@/lib/integrations/sms/send-sms";
import { createLogger } from "@/lib/observability/logger";
import { getRuntime, setRuntime } from "@/lib/runtime";
import { ctxOf, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { call } from "@/test/runtime";
import * as calls from "../twilio/2010-04-01/Accounts/[sid]/Calls.json/route";
import * as messages from "../twilio/2010-04-01/Accounts/[sid]/Messages.json/route";
import * as slackMethods from "../slack/api/[method]/route";

const t = useTestDatabase();
const SID = "ACdeb1000000000000000000000000dev";
const TOKEN = "dev-inbox-test-secret";
const BOT_TOKEN = "xoxb-dev-inbox-test";

type Handler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const doors: [RegExp, Handler, string][] = [
  [/^\/api\/dev-inbox\/twilio\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/, messages.POST as Handler, "sid"],
  [/^\/api\/dev-inbox\/twilio\/2010-04-01\/Accounts\/([^/]+)\/Calls\.json$/, calls.POST as Handler, "sid"],
  [/^\/api\/dev-inbox\/slack\/api\/([^/]+)$/, slackMethods.POST as Handler, "method"],
];

// What Next.js does for these files: the request, as a Fetch Request, to the handler its path names.
let server: Server;
let base = "";
beforeAll(async () => {
  const config = loadConfig({
    DATABASE_URL: t.url,
    LOG_LEVEL: "silent",
    VIGIL_DEV_INBOX: "1",
    SMS_ACCOUNT_SID: SID,
    SMS_AUTH_TOKEN: TOKEN,
    SMS_FROM: "+15550100000",
    SLACK_BOT_TOKEN: BOT_TOKEN,
  });
  setRuntime({ config, database: t, logger: createLogger("silent") });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", base);
      const door = doors.find(([path]) => path.test(url.pathname));
      if (!door) return void res.writeHead(404).end();
      const [path, handler, param] = door;
      const request = new Request(url, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) =>
          typeof v === "string" ? [[k, v] as [string, string]] : [],
        ),
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const params = { [param]: decodeURIComponent(path.exec(url.pathname)![1]!) };
      const answer = await handler(request, { params: Promise.resolve(params) });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const inbox = () => listDevInboxMessages({ ctx: ctxOf(t.db, viewer), input: {} });
const sms = () => ({ apiUrl: `${base}/api/dev-inbox/twilio`, accountSid: SID, authToken: TOKEN, from: "+15550100000" });

describe("the dev inbox's Twilio look-alike", () => {
  it("keeps the SMS sendSms sends, with its recipient and incident", async () => {
    const { sid } = await sendSms(
      sms(),
      "+15550100002",
      "Vigil P1 INC-42: Checkout down http://localhost:3000/incidents/INC-42",
    );
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    const [kept] = await inbox();
    expect(kept).toMatchObject({
      channel: "sms",
      recipient: "+15550100002",
      subject: null,
      body: "Vigil P1 INC-42: Checkout down http://localhost:3000/incidents/INC-42",
      incident_ref: "INC-42",
    });
  });

  it("refuses wrong credentials the way Twilio does, and keeps nothing", async () => {
    const before = (await inbox()).length;
    await expect(sendSms({ ...sms(), authToken: "wrong" }, "+15550100002", "hello")).rejects.toMatchObject({
      permanent: true,
    });
    const res = await fetch(`${base}/api/dev-inbox/twilio/2010-04-01/Accounts/${SID}/Messages.json`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${SID}:nope`).toString("base64")}` },
      body: new URLSearchParams({ To: "+15550100002", Body: "x" }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 20003, status: 401 });
    expect(await inbox()).toHaveLength(before);
  });

  it("keeps a voice call's spoken words from its TwiML", async () => {
    const res = await fetch(`${base}/api/dev-inbox/twilio/2010-04-01/Accounts/${SID}/Calls.json`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString("base64")}` },
      body: new URLSearchParams({
        To: "+15550100001",
        From: "+15550100000",
        Twiml:
          '<Response><Say voice="alice">Vigil page for INC-7: orders &amp; payments down.</Say><Pause length="1"/><Say>Press 1 to acknowledge.</Say></Response>',
      }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ sid: expect.stringMatching(/^CA/), to: "+15550100001", status: "queued" });
    const [kept] = await inbox();
    expect(kept).toMatchObject({
      channel: "voice",
      recipient: "+15550100001",
      body: "Vigil page for INC-7: orders & payments down.\nPress 1 to acknowledge.",
      incident_ref: "INC-7",
    });
  });
});

describe("the dev inbox's Slack look-alike", () => {
  const client = () => slackClient({ botToken: BOT_TOKEN, apiUrl: `${base}/api/dev-inbox/slack/api/` });

  it("keeps a card the Slack client posts, its links readable, and answers what Vigil's code reads", async () => {
    const posted = await client().chat.postMessage({
      channel: "#incidents-critical",
      text: "P1 INC-12: Checkout 5xx",
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text: "*<http://localhost:3000/incidents/INC-12|INC-12> Checkout 5xx*" },
        },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              text: { type: "plain_text", text: "Open" },
              url: "http://localhost:3000/incidents/INC-12",
            },
          ],
        },
      ],
      metadata: { event_type: "vigil_notification", event_payload: { notification_id: "n1" } },
    });
    expect(posted).toMatchObject({
      ok: true,
      channel: "#incidents-critical",
      ts: expect.stringMatching(/^\d+\.\d{6}$/),
    });
    const updated = await client().chat.update({
      channel: "#incidents-critical",
      ts: posted.ts!,
      text: "Acknowledged",
    });
    expect(updated.ok).toBe(true);
    const [update, card] = await inbox();
    expect(card).toMatchObject({ channel: "slack", recipient: "#incidents-critical", incident_ref: "INC-12" });
    expect(card!.body).toContain("INC-12 (http://localhost:3000/incidents/INC-12) Checkout 5xx");
    expect(card!.body).toContain("[Open] http://localhost:3000/incidents/INC-12");
    expect(update).toMatchObject({ subject: "Message updated", body: "Acknowledged" });
  });

  it("makes up the channel, the people and an empty history that incident channels and retries ask for", async () => {
    const created = await client().conversations.create({ name: "inc-12-checkout" });
    const id = created.channel!.id!;
    expect(id).toMatch(/^C[0-9A-F]{10}$/);
    const found = await client().users.lookupByEmail({ email: "bob@example.com" });
    expect(found.user?.id).toMatch(/^U/);
    expect((await client().conversations.invite({ channel: id, users: found.user!.id! })).ok).toBe(true);
    expect((await client().conversations.history({ channel: id })).messages).toEqual([]);
    await client().chat.postMessage({ channel: id, text: "INC-12 has its own channel" });
    const [inChannel] = await inbox();
    expect(inChannel).toMatchObject({ recipient: "#inc-12-checkout", body: "INC-12 has its own channel" });
  });

  it("answers invalid_auth to a wrong token and unknown_method to what it does not know", async () => {
    const wrong = slackClient({ botToken: "xoxb-wrong", apiUrl: `${base}/api/dev-inbox/slack/api/` });
    await expect(wrong.chat.postMessage({ channel: "#x", text: "x" })).rejects.toMatchObject({
      data: { ok: false, error: "invalid_auth" },
    });
    for (const method of ["admin.everything", "constructor", "__proto__"])
      await expect(client().apiCall(method)).rejects.toMatchObject({ data: { error: "unknown_method" } });
  });
});

describe("outside dev-inbox mode", () => {
  it("the doors are not there: 404, and nothing is kept", async () => {
    const config = getRuntime().config;
    const before = (await inbox()).length;
    Object.assign(config, { devInbox: false });
    try {
      const auth = { authorization: `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString("base64")}` };
      const form = { "content-type": "application/x-www-form-urlencoded", ...auth };
      const body = new URLSearchParams({
        To: "+15550100002",
        From: "+15550100000",
        Body: "x",
        Twiml: "<Say>x</Say>",
      }).toString();
      for (const [handler, path] of [
        [messages.POST, `/api/dev-inbox/twilio/2010-04-01/Accounts/${SID}/Messages.json`],
        [calls.POST, `/api/dev-inbox/twilio/2010-04-01/Accounts/${SID}/Calls.json`],
      ] as const) {
        const res = await call(handler, "POST", path, { params: { sid: SID }, rawBody: body, headers: form });
        expect(res.status, path).toBe(404);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
      }
      const res = await call(slackMethods.POST, "POST", "/api/dev-inbox/slack/api/chat.postMessage", {
        params: { method: "chat.postMessage" },
        rawBody: "channel=%23x&text=hi",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${BOT_TOKEN}` },
      });
      expect(res.status).toBe(404);
      expect((await inbox()).length).toBe(before);
    } finally {
      Object.assign(config, { devInbox: true });
    }
  });
});
