// Slack as the bot's tests see it: requests signed the way Slack signs them (commands, interactions,
// events), shaped like Slack's own payloads (../shared/PROTOCOLS.md), a runtime pointed at the loopback fake
// Slack Web API, and the demo people (alice admin, bob responder, carol viewer) with Slack accounts.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { users, type UserRow } from "@/db/schema";
import { FAKE_SLACK_BOT_TOKEN, SLACK_APP_ID, SLACK_TEAM_ID, startFakeSlack, type FakeSlack } from "@/e2e/fakes";
import { createApiToken } from "@/lib/auth/api-tokens";
import { systemActor } from "@/lib/context";
import { loadConfig } from "@/lib/env";
import { createLogger } from "@/lib/observability/logger";
import { setRuntime } from "@/lib/runtime";
import type { TestDatabase } from "./database";
import { call } from "./runtime";

export const SLACK_SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const APP_URL = "https://vigil.example.com";

export const FORM = "application/x-www-form-urlencoded";

/** The headers Slack sends with a body: its signature over `v0:<timestamp>:<body>`. */
export function slackHeaders(
  rawBody: string,
  contentType: string,
  options: { timestamp?: number; secret?: string } = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", options.secret ?? SLACK_SIGNING_SECRET)
    .update(`v0:${timestamp}:${rawBody}`)
    .digest("hex");
  return {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": `v0=${signature}`,
  };
}

let triggers = 0;
const nextTrigger = () => `${Date.now()}.${++triggers}.5f2e8a3c0b`;

/** A slash command's form body. */
export function commandBody(args: {
  text: string;
  userId: string;
  command?: string;
  channelId?: string;
  responseUrl: string;
}): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: SLACK_TEAM_ID,
    team_domain: "vigil-test",
    channel_id: args.channelId ?? "C0GENERAL",
    channel_name: "general",
    user_id: args.userId,
    user_name: args.userId.toLowerCase(),
    command: args.command ?? "/incident",
    text: args.text,
    api_app_id: SLACK_APP_ID,
    is_enterprise_install: "false",
    response_url: args.responseUrl,
    trigger_id: nextTrigger(),
  }).toString();
}

/** An interaction's form body: one field, `payload`, holding JSON. */
export const interactionBody = (payload: Record<string, unknown>) =>
  new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

const user = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: SLACK_TEAM_ID });
const team = { id: SLACK_TEAM_ID, domain: "vigil-test" };

/** A block_actions payload: a button (value) or an overflow menu (selectedValue) pressed on a message. */
export function blockActionPayload(args: {
  userId: string;
  actionId: string;
  value?: string;
  selectedValue?: string;
  responseUrl: string;
  channelId?: string;
  messageTs?: string;
  ephemeral?: boolean;
}): Record<string, unknown> {
  const channelId = args.channelId ?? "C0GENERAL";
  const messageTs = args.messageTs ?? "1764000000.000100";
  const action = args.selectedValue
    ? {
        type: "overflow",
        action_id: args.actionId,
        block_id: "b1",
        selected_option: { text: { type: "plain_text", text: "x" }, value: args.selectedValue },
        action_ts: "1764000001.000200",
      }
    : {
        type: "button",
        action_id: args.actionId,
        block_id: "b1",
        value: args.value,
        text: { type: "plain_text", text: "x" },
        action_ts: "1764000001.000200",
      };
  return {
    type: "block_actions",
    user: user(args.userId),
    api_app_id: SLACK_APP_ID,
    token: "legacy-verification-token",
    container: { type: "message", message_ts: messageTs, channel_id: channelId, is_ephemeral: args.ephemeral ?? false },
    trigger_id: nextTrigger(),
    team,
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: "general" },
    ...(args.ephemeral
      ? {}
      : { message: { type: "message", ts: messageTs, text: "card", user: "U0BOT", bot_id: "B0BOT" } }),
    state: { values: {} },
    response_url: args.responseUrl,
    actions: [action],
  };
}

/** A view_submission payload with the values as Slack reports them (block -> action -> element state). */
export function viewSubmissionPayload(args: {
  userId: string;
  callbackId: string;
  privateMetadata: string;
  values: Record<string, Record<string, unknown>>;
}): Record<string, unknown> {
  return {
    type: "view_submission",
    team,
    user: user(args.userId),
    api_app_id: SLACK_APP_ID,
    token: "legacy-verification-token",
    trigger_id: nextTrigger(),
    view: {
      id: "V0000000001",
      team_id: SLACK_TEAM_ID,
      type: "modal",
      callback_id: args.callbackId,
      private_metadata: args.privateMetadata,
      state: { values: args.values },
      hash: "1764000000.abc",
      blocks: [],
      app_id: SLACK_APP_ID,
      bot_id: "B0BOT",
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

/** A text input's state, as view_submission reports it. */
export const textValue = (value: string | null) => ({ value: { type: "plain_text_input", value } });
export const selectValue = (value: string) => ({
  value: { type: "static_select", selected_option: { text: { type: "plain_text", text: value }, value } },
});

let events = 0;
/** An Events API delivery (JSON). */
export function eventBody(event: Record<string, unknown>): string {
  return JSON.stringify({
    token: "legacy-verification-token",
    team_id: SLACK_TEAM_ID,
    api_app_id: SLACK_APP_ID,
    event: { event_ts: `${Math.floor(Date.now() / 1000)}.000${++events}`, ...event },
    type: "event_callback",
    event_id: `Ev${Date.now()}${events}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: SLACK_TEAM_ID, user_id: "U0BOT", is_bot: true, is_enterprise_install: false },
    ],
  });
}

type Handler<P> = (req: Request, segment: { params: Promise<P> }) => Promise<Response>;

/** POSTs a signed body to one of the Slack route handlers, as Slack would. */
export function postSigned<P>(
  handler: Handler<P>,
  path: string,
  rawBody: string,
  contentType: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return call(handler, "POST", path, { rawBody, headers: { ...slackHeaders(rawBody, contentType), ...headers } });
}

export interface SlackPeople {
  alice: UserRow;
  bob: UserRow;
  carol: UserRow;
}

export interface SlackBotTest {
  slack: FakeSlack;
  people: SlackPeople;
  adminToken: string;
}

/**
 * A fake Slack and a runtime pointing at it; alice (admin), bob (responder) and carol (viewer) are Vigil
 * users whose Slack accounts (U0ALICE, U0BOB, U0CAROL) are linked. `env` adds settings.
 */
export function useSlackBot(t: TestDatabase, env: Record<string, string> = {}): SlackBotTest {
  const handle = {} as SlackBotTest;
  beforeAll(async () => {
    handle.slack = await startFakeSlack({ botToken: FAKE_SLACK_BOT_TOKEN });
    const config = loadConfig({
      DATABASE_URL: t.url,
      LOG_LEVEL: "silent",
      APP_URL,
      VIGIL_CONFIG: "/nonexistent/vigil.config.yaml",
      SLACK_BOT_TOKEN: FAKE_SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: `${handle.slack.url}/api/`,
      SLACK_CHANNEL_CRITICAL: "#incidents-critical",
      SLACK_CHANNEL_WARNINGS: "#incidents-warnings",
      NOTIFY_RETRY_BASE: "50ms",
      ...env,
    });
    setRuntime({ config, database: t, logger: createLogger("silent") });
    const rows = await t.db
      .insert(users)
      .values([
        { email: "alice@example.com", name: "Alice", role: "admin", slackUserId: "U0ALICE" },
        { email: "bob@example.com", name: "Bob", role: "responder", slackUserId: "U0BOB" },
        { email: "carol@example.com", name: "Carol", role: "viewer", slackUserId: "U0CAROL" },
      ])
      .returning();
    const [alice, bob, carol] = rows as [UserRow, UserRow, UserRow];
    handle.people = { alice, bob, carol };
    handle.adminToken = (
      await createApiToken({
        ctx: { db: t.db, actor: systemActor("test setup"), now: new Date() },
        input: { name: "admin", role: "admin" },
      })
    ).token;
  });
  beforeEach(() => {
    handle.slack.reset();
    for (const [id, name] of [
      ["U0ALICE", "alice"],
      ["U0BOB", "bob"],
      ["U0CAROL", "carol"],
    ] as const)
      handle.slack.addUser({ id, name, email: `${name}@example.com` });
  });
  afterAll(async () => handle.slack?.close());
  return handle;
}

/** Awaits the work the route handlers handed to after(), including work that work deferred. */
export async function settle(deferred: Promise<unknown>[]): Promise<void> {
  while (deferred.length) await Promise.all(deferred.splice(0));
}
