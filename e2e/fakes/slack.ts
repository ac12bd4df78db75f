// A loopback fake of the Slack Web API: `POST <url>/api/<method>`, form-encoded (what @slack/web-api sends)
// or JSON, bot token as `Authorization: Bearer`. It keeps channels, messages (latest version), threads and
// a user table the test seeds, and answers like Slack does: HTTP 200 with `ok:false` for errors.
// It also stands in for the response_url Slack puts in commands and interactions: hand the app
// `responseUrl(id)` and read what was posted there from `responses` (or `responsesTo(id)`).
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerControl,
  answerThroughPlan,
  closeHttpServer,
  fakeControl,
  FailurePlans,
  now,
  readBody,
  sendJson,
  startHttpServer,
  type Answer,
  type Fake,
  type FakeControl,
  type Recorded,
} from "./fake-server";

export const SLACK_TEAM_ID = "T0001";
export const SLACK_BOT_USER_ID = "U0BOT";
export const SLACK_BOT_ID = "B0BOT";
export const SLACK_APP_ID = "A0APP";
const WORKSPACE_URL = "https://vigil-test.slack.com/";

/** Channels that never exist, however addressed; every other channel is created on first use. */
const MISSING_CHANNELS = new Set(["does-not-exist", "C_MISSING"]);

export type SlackBlock = { type: string; [key: string]: unknown };

export interface SlackMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A message as conversations.history returns it (the fake's bot posted them all). */
export interface SlackMessage {
  type: "message";
  ts: string;
  text: string;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  blocks?: SlackBlock[];
  attachments?: Record<string, unknown>[];
  metadata?: SlackMetadata;
  /** On a reply: its thread's root; on a root with replies: its own ts. */
  thread_ts?: string;
  reply_count?: number;
  latest_reply?: string;
  parent_user_id?: string;
  edited?: { user: string; ts: string };
}

export interface SlackChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  created: number;
  members: string[];
  pinned: string[];
  /** Latest version of each message, threads included, in posting order. */
  messages: SlackMessage[];
}

export interface SlackUser {
  id: string;
  name: string;
  email: string;
  realName?: string;
  isBot?: boolean;
}

export interface SlackReceived extends Recorded {
  method: string;
  /** The form fields or JSON members; `blocks`, `attachments`, `metadata` and `view` parsed from JSON strings. */
  params: Record<string, unknown>;
  contentType: "form" | "json";
  /** What the fake answered, when it handled the call (not when a failure plan answered). */
  ok?: boolean;
  error?: string;
}

/** A message posted to a response_url (`POST <url>/response/<id>`, JSON, no token: the URL is the secret). */
export interface SlackResponseReceived {
  at: string;
  id: string;
  body: Record<string, unknown>;
}

export interface FakeSlack extends Fake<SlackReceived> {
  botToken: string;
  /** Everything posted to a response_url, in order (reset() clears it). */
  responses: SlackResponseReceived[];
  /** A response_url served by this fake; `id` tells requests apart. */
  responseUrl(id: string): string;
  /** What was posted to responseUrl(id), in order. */
  responsesTo(id: string): Record<string, unknown>[];
  /** Seeds the table users.info and users.lookupByEmail answer from (reset() keeps it). */
  addUser(user: SlackUser): void;
  /** Latest version of every message in the channel (name, #name or id), threads included, oldest first. */
  messagesIn(channel: string): SlackMessage[];
  /** The thread `ts` belongs to, root first; empty when there is no such message. */
  threadOf(channel: string, ts: string): SlackMessage[];
  channel(channel: string): SlackChannel | undefined;
}

type Params = Record<string, unknown>;
type SlackAnswer = { ok: true; [key: string]: unknown } | { ok: false; error: string; [key: string]: unknown };

const slackError = (error: string, extra: Record<string, unknown> = {}): SlackAnswer => ({
  ok: false,
  error,
  ...extra,
});
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (p: Params, key: string): string | undefined => {
  const v = p[key];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
};
const bool = (p: Params, key: string): boolean =>
  p[key] === true || p[key] === "true" || p[key] === "1" || p[key] === 1;

/** "1732780000.000100" -> microseconds since the epoch (exact: below 2^53). */
const tsMicros = (ts: string): number => {
  const [seconds = "0", fraction = ""] = ts.split(".");
  return Number(seconds) * 1_000_000 + Number(fraction.padEnd(6, "0").slice(0, 6));
};

// Form fields that carry JSON: Slack (and @slack/web-api) JSON-stringify objects into them.
const JSON_FIELDS = ["blocks", "attachments", "metadata", "view"];

function parseJsonFields(params: Params): Params {
  const out: Params = { ...params };
  for (const key of JSON_FIELDS) {
    const value = out[key];
    if (typeof value !== "string") continue;
    try {
      out[key] = JSON.parse(value);
    } catch {
      // left as the string: the method answers with Slack's *_format error
    }
  }
  return out;
}

/** Slack's Block Kit limits that bite (PROTOCOLS.md); Slack answers `invalid_blocks` with these messages. */
function blockProblems(node: unknown, pointer: string, problems: string[]): void {
  const tooLong = (value: unknown, max: number, at: string) => {
    if (typeof value === "string" && value.length > max)
      problems.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${at}]`);
  };
  if (Array.isArray(node)) {
    node.forEach((child, i) => blockProblems(child, `${pointer}/${i}`, problems));
    return;
  }
  if (!isRecord(node)) return;
  if (node.type === "button") {
    const text = isRecord(node.text) ? node.text.text : undefined;
    tooLong(text, 75, `${pointer}/text/text`);
    tooLong(node.value, 2000, `${pointer}/value`);
    tooLong(node.action_id, 255, `${pointer}/action_id`);
    if (node.style !== undefined && node.style !== "primary" && node.style !== "danger") {
      problems.push(`[ERROR] must be one of: primary, danger [json-pointer:${pointer}/style]`);
    }
  } else if (node.type === "header") {
    tooLong(isRecord(node.text) ? node.text.text : undefined, 150, `${pointer}/text/text`);
  } else if (node.type === "section") {
    tooLong(isRecord(node.text) ? node.text.text : undefined, 3000, `${pointer}/text/text`);
  }
  for (const [key, child] of Object.entries(node))
    if (typeof child === "object") blockProblems(child, `${pointer}/${key}`, problems);
}

/** undefined: not given; a SlackAnswer: Slack's error for it; else the parsed blocks. */
function readBlocks(p: Params, key = "blocks"): SlackBlock[] | SlackAnswer | undefined {
  const blocks = p[key];
  if (blocks === undefined || blocks === "") return undefined;
  if (!Array.isArray(blocks)) return slackError("invalid_blocks_format");
  if (blocks.length > 50 || !blocks.every((b) => isRecord(b) && typeof b.type === "string")) {
    return slackError("invalid_blocks", {
      response_metadata: { messages: ["[ERROR] blocks must be at most 50 objects that each have a type"] },
    });
  }
  const problems: string[] = [];
  blockProblems(blocks, `/${key}`, problems);
  if (problems.length) return slackError("invalid_blocks", { response_metadata: { messages: problems } });
  return blocks as SlackBlock[];
}

function readMetadata(p: Params): SlackMetadata | SlackAnswer | undefined {
  const metadata = p.metadata;
  if (metadata === undefined || metadata === "") return undefined;
  if (!isRecord(metadata)) return slackError("invalid_metadata_format");
  if (typeof metadata.event_type !== "string" || !isRecord(metadata.event_payload))
    return slackError("invalid_metadata_schema");
  return { event_type: metadata.event_type, event_payload: metadata.event_payload };
}

const isAnswer = (v: unknown): v is SlackAnswer => isRecord(v) && typeof v.ok === "boolean";

export async function startFakeSlack(options: { port?: number; botToken: string }): Promise<FakeSlack> {
  const { botToken } = options;
  const received: SlackReceived[] = [];
  const responses: SlackResponseReceived[] = [];
  const plans = new FailurePlans();
  const channels = new Map<string, SlackChannel>();
  const channelIdsByName = new Map<string, string>();
  const users = new Map<string, SlackUser>([
    [SLACK_BOT_USER_ID, { id: SLACK_BOT_USER_ID, name: "vigil", email: "vigil-bot@example.com", isBot: true }],
  ]);
  let lastMicros = 0;
  let idCounter = 0;

  // Unique and increasing, in Slack's "seconds.microseconds" form.
  const nextTs = (): string => {
    lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
    return `${Math.floor(lastMicros / 1_000_000)}.${String(lastMicros % 1_000_000).padStart(6, "0")}`;
  };
  const nextId = (prefix: string) => `${prefix}${(++idCounter).toString(36).toUpperCase().padStart(10, "0")}`;

  const createChannel = (name: string, id = nextId("C"), isPrivate = false): SlackChannel => {
    const channel: SlackChannel = {
      id,
      name,
      isPrivate,
      created: Math.floor(Date.now() / 1000),
      members: [SLACK_BOT_USER_ID],
      pinned: [],
      messages: [],
    };
    channels.set(id, channel);
    channelIdsByName.set(name, id);
    return channel;
  };
  // Accepts an id, a name or a #name; creates the channel on first use (IDs keep the id as their name).
  const channelFor = (ref: string | undefined, create = true): SlackChannel | undefined => {
    if (!ref) return undefined;
    const name = ref.replace(/^#/, "");
    if (MISSING_CHANNELS.has(name)) return undefined;
    const existing = channels.get(name) ?? channels.get(channelIdsByName.get(name) ?? "");
    if (existing || !create) return existing;
    return /^[CGD][A-Z0-9]{6,}$/.test(name) ? createChannel(name.toLowerCase(), name) : createChannel(name);
  };
  const channelInfo = (c: SlackChannel) => ({
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    is_channel: !c.isPrivate,
    is_group: false,
    is_im: false,
    is_private: c.isPrivate,
    is_archived: false,
    is_general: false,
    is_member: true,
    created: c.created,
    creator: SLACK_BOT_USER_ID,
    num_members: c.members.length,
  });
  const findMessage = (c: SlackChannel, ts: string | undefined) =>
    ts ? c.messages.find((m) => m.ts === ts) : undefined;
  const threadRoot = (c: SlackChannel, m: SlackMessage) =>
    m.thread_ts && m.thread_ts !== m.ts ? (findMessage(c, m.thread_ts) ?? m) : m;
  const thread = (c: SlackChannel, root: SlackMessage) => [
    root,
    ...c.messages.filter((m) => m.thread_ts === root.ts && m.ts !== root.ts),
  ];
  const userInfo = (u: SlackUser) => ({
    id: u.id,
    team_id: SLACK_TEAM_ID,
    name: u.name,
    deleted: false,
    real_name: u.realName ?? u.name,
    tz: "Etc/UTC",
    is_bot: u.isBot ?? false,
    is_admin: false,
    profile: {
      email: u.email,
      real_name: u.realName ?? u.name,
      display_name: u.name,
      real_name_normalized: u.realName ?? u.name,
      display_name_normalized: u.name,
      team: SLACK_TEAM_ID,
    },
  });

  const methods: Record<string, (p: Params) => SlackAnswer> = {
    "auth.test": () => ({
      ok: true,
      url: WORKSPACE_URL,
      team: "Vigil Test",
      user: "vigil",
      team_id: SLACK_TEAM_ID,
      user_id: SLACK_BOT_USER_ID,
      bot_id: SLACK_BOT_ID,
      is_enterprise_install: false,
    }),

    "chat.postMessage": (p) => {
      const channel = channelFor(str(p, "channel"));
      if (!channel) return slackError("channel_not_found");
      const blocks = readBlocks(p);
      if (isAnswer(blocks)) return blocks;
      const metadata = readMetadata(p);
      if (isAnswer(metadata)) return metadata;
      const attachments = Array.isArray(p.attachments)
        ? (p.attachments.filter(isRecord) as Record<string, unknown>[])
        : undefined;
      const text = str(p, "text") ?? "";
      if (!text && !blocks?.length && !attachments?.length) return slackError("no_text");
      if (text.length > 40_000) return slackError("msg_too_long");
      const message: SlackMessage = {
        type: "message",
        ts: nextTs(),
        text,
        user: SLACK_BOT_USER_ID,
        bot_id: SLACK_BOT_ID,
        app_id: SLACK_APP_ID,
        team: SLACK_TEAM_ID,
        ...(blocks ? { blocks } : {}),
        ...(attachments ? { attachments } : {}),
        ...(metadata ? { metadata } : {}),
      };
      const threadTs = str(p, "thread_ts");
      if (threadTs) {
        // A reply to a reply joins the root's thread, as in Slack.
        const parent = findMessage(channel, threadTs);
        const root = parent ? threadRoot(channel, parent) : undefined;
        message.thread_ts = root?.ts ?? threadTs;
        message.parent_user_id = root?.user ?? SLACK_BOT_USER_ID;
        if (root) {
          root.thread_ts = root.ts;
          root.reply_count = (root.reply_count ?? 0) + 1;
          root.latest_reply = message.ts;
        }
      }
      channel.messages.push(message);
      return { ok: true, channel: channel.id, ts: message.ts, message: structuredClone(message) };
    },

    "chat.update": (p) => {
      const channel = channelFor(str(p, "channel"));
      if (!channel) return slackError("channel_not_found");
      const message = findMessage(channel, str(p, "ts"));
      if (!message) return slackError("message_not_found");
      const blocks = readBlocks(p);
      if (isAnswer(blocks)) return blocks;
      const metadata = readMetadata(p);
      if (isAnswer(metadata)) return metadata;
      // As documented for chat.update: fields left out keep their previous value; an empty blocks array removes them.
      const text = str(p, "text");
      if (text !== undefined) message.text = text;
      if (blocks) {
        if (blocks.length) message.blocks = blocks;
        else delete message.blocks;
      }
      if (Array.isArray(p.attachments))
        message.attachments = p.attachments.filter(isRecord) as Record<string, unknown>[];
      if (metadata) message.metadata = metadata;
      message.edited = { user: SLACK_BOT_USER_ID, ts: nextTs() };
      return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: structuredClone(message) };
    },

    "chat.getPermalink": (p) => {
      const channel = channelFor(str(p, "channel"));
      if (!channel) return slackError("channel_not_found");
      const message = findMessage(channel, str(p, "message_ts"));
      if (!message) return slackError("message_not_found");
      return {
        ok: true,
        channel: channel.id,
        permalink: `${WORKSPACE_URL}archives/${channel.id}/p${message.ts.replace(".", "")}`,
      };
    },

    "conversations.history": (p) => {
      const channel = channelFor(str(p, "channel"));
      if (!channel) return slackError("channel_not_found");
      const limit = Math.min(Math.max(Number(str(p, "limit") ?? 100) || 100, 1), 999);
      const inclusive = bool(p, "inclusive");
      const oldest = tsMicros(str(p, "oldest") || "0");
      // The cursor is what Slack's is: base64 of "next_ts:<ts>", the newest ts the next page may hold.
      const cursor = str(p, "cursor");
      const cursorTs = cursor
        ? Buffer.from(cursor, "base64")
            .toString("utf8")
            .replace(/^next_ts:/, "")
        : undefined;
      const latestParam = str(p, "latest");
      const latest = cursorTs ? tsMicros(cursorTs) : latestParam ? tsMicros(latestParam) : Infinity;
      const within = (m: SlackMessage) => {
        const t = tsMicros(m.ts);
        return (inclusive ? t >= oldest : t > oldest) && (cursorTs || inclusive ? t <= latest : t < latest);
      };
      // Thread replies stay out of the channel's history, as in Slack.
      const matching = channel.messages.filter((m) => (!m.thread_ts || m.thread_ts === m.ts) && within(m)).reverse();
      const page = matching.slice(0, limit);
      const next = matching[limit];
      return {
        ok: true,
        messages: structuredClone(page),
        has_more: next !== undefined,
        pin_count: channel.pinned.length,
        ...(next ? { response_metadata: { next_cursor: Buffer.from(`next_ts:${next.ts}`).toString("base64") } } : {}),
      };
    },

    "conversations.replies": (p) => {
      const channel = channelFor(str(p, "channel"));
      if (!channel) return slackError("channel_not_found");
      const message = findMessage(channel, str(p, "ts"));
      if (!message) return slackError("thread_not_found");
      return { ok: true, messages: structuredClone(thread(channel, threadRoot(channel, message))), has_more: false };
    },

    "conversations.info": (p) => {
      const channel = channelFor(str(p, "channel"));
      return channel ? { ok: true, channel: channelInfo(channel) } : slackError("channel_not_found");
    },

    "conversations.create": (p) => {
      const name = str(p, "name")?.replace(/^#/, "");
      if (!name) return slackError("invalid_name_required");
      if (name.length > 80) return slackError("invalid_name_maxlength");
      if (!/^[a-z0-9_-]+$/.test(name)) return slackError("invalid_name_specials");
      if (channelIdsByName.has(name) || MISSING_CHANNELS.has(name)) return slackError("name_taken");
      return { ok: true, channel: channelInfo(createChannel(name, undefined, bool(p, "is_private"))) };
    },

    // Channels the bot can see, oldest first; the cursor is the offset, base64-encoded like Slack's opaque ones.
    "conversations.list": (p) => {
      const types = (str(p, "types") ?? "public_channel").split(",").map((t) => t.trim());
      const all = [...channels.values()].filter((c) =>
        types.includes(c.isPrivate ? "private_channel" : "public_channel"),
      );
      const limit = Math.min(Math.max(Number(str(p, "limit") ?? 100) || 100, 1), 1000);
      const cursor = str(p, "cursor");
      const offset = cursor
        ? Number(
            Buffer.from(cursor, "base64")
              .toString("utf8")
              .replace(/^offset:/, ""),
          ) || 0
        : 0;
      const page = all.slice(offset, offset + limit);
      const next = offset + limit < all.length ? Buffer.from(`offset:${offset + limit}`).toString("base64") : "";
      return { ok: true, channels: page.map(channelInfo), response_metadata: { next_cursor: next } };
    },

    "conversations.invite": (p) => {
      const channel = channelFor(str(p, "channel"));
      if (!channel) return slackError("channel_not_found");
      const ids = (str(p, "users") ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      if (!ids.length) return slackError("no_user");
      for (const id of ids) if (!channel.members.includes(id)) channel.members.push(id);
      return { ok: true, channel: channelInfo(channel) };
    },

    "pins.add": (p) => {
      const channel = channelFor(str(p, "channel"));
      if (!channel) return slackError("channel_not_found");
      const message = findMessage(channel, str(p, "timestamp"));
      if (!message) return slackError("message_not_found");
      if (channel.pinned.includes(message.ts)) return slackError("already_pinned");
      channel.pinned.push(message.ts);
      return { ok: true };
    },

    "views.open": (p) => {
      const triggerId = str(p, "trigger_id");
      const view = p.view;
      if (!triggerId || !isRecord(view) || typeof view.type !== "string") {
        return slackError("invalid_arguments", {
          response_metadata: { messages: ["[ERROR] trigger_id and a view object with a type are required"] },
        });
      }
      const blocks = readBlocks(view);
      if (isAnswer(blocks)) return blocks;
      const id = nextId("V");
      return {
        ok: true,
        view: {
          ...view,
          id,
          team_id: SLACK_TEAM_ID,
          private_metadata: typeof view.private_metadata === "string" ? view.private_metadata : "",
          callback_id: typeof view.callback_id === "string" ? view.callback_id : "",
          state: { values: {} },
          hash: `${Math.floor(Date.now() / 1000)}.${id}`,
          root_view_id: id,
          previous_view_id: null,
          app_id: SLACK_APP_ID,
          bot_id: SLACK_BOT_ID,
        },
      };
    },

    // Shown only to `user`: recorded (see `received`), never kept in the channel's history.
    "chat.postEphemeral": (p) => {
      const channel = channelFor(str(p, "channel"));
      if (!channel) return slackError("channel_not_found");
      if (!users.has(str(p, "user") ?? "")) return slackError("user_not_found");
      const blocks = readBlocks(p);
      if (isAnswer(blocks)) return blocks;
      if (!str(p, "text") && !blocks?.length) return slackError("no_text");
      return { ok: true, message_ts: nextTs() };
    },

    "users.info": (p) => {
      const user = users.get(str(p, "user") ?? "");
      return user ? { ok: true, user: userInfo(user) } : slackError("user_not_found");
    },

    // Slack's error for this method is the plural `users_not_found`.
    "users.lookupByEmail": (p) => {
      const email = (str(p, "email") ?? "").toLowerCase();
      const user = [...users.values()].find((u) => u.email.toLowerCase() === email);
      return user ? { ok: true, user: userInfo(user) } : slackError("users_not_found");
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (await answerControl(req, res, controls)) return;
    const url = new URL(req.url ?? "/", "http://fake");
    const response = /^\/response\/([A-Za-z0-9_.-]+)$/.exec(url.pathname);
    if (response?.[1] && req.method === "POST") {
      // Slack answers a response_url post with 200 and no Slack envelope; a body that is not JSON gets 400.
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req)).toString("utf8"));
      } catch {
        return sendJson(res, 400, { ok: false, error: "invalid_json" });
      }
      if (!isRecord(body)) return sendJson(res, 400, { ok: false, error: "invalid_json" });
      responses.push({ at: now(), id: response[1], body });
      return sendJson(res, 200, { ok: true });
    }
    const match = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    if (!match?.[1]) return sendJson(res, 404, { ok: false, error: "unknown_method" });
    const method = match[1];
    const text = (await readBody(req)).toString("utf8");
    const contentType = (req.headers["content-type"] ?? "").toLowerCase().includes("application/json")
      ? "json"
      : "form";
    let params: Params = Object.fromEntries(url.searchParams);
    let invalidJson = false;
    if (contentType === "json") {
      try {
        const parsed: unknown = text ? JSON.parse(text) : {};
        if (isRecord(parsed)) params = { ...params, ...parsed };
        else invalidJson = true;
      } catch {
        invalidJson = true;
      }
    } else {
      params = { ...params, ...Object.fromEntries(new URLSearchParams(text)) };
    }
    params = parseJsonFields(params);

    await answerThroughPlan(
      res,
      plans.take([method]),
      // Slack always says when to come back from a 429; @slack/web-api gives up on a 429 without Retry-After.
      (status): Answer =>
        status === 429
          ? { status, body: slackError("ratelimited"), headers: { "Retry-After": "1" } }
          : { status, body: slackError("fatal_error") },
      (): Answer => {
        // Slack takes the token from the header or, for form posts, a `token` field.
        const auth = req.headers.authorization;
        const token = auth?.startsWith("Bearer ") ? auth.slice("Bearer ".length).trim() : str(params, "token");
        let answer: SlackAnswer;
        if (invalidJson) answer = slackError("invalid_json");
        else if (!token) answer = slackError("not_authed");
        else if (token !== botToken) answer = slackError("invalid_auth");
        else answer = methods[method]?.(params) ?? slackError("unknown_method");
        return { status: 200, body: answer };
      },
      (answer, flags) => {
        const body = isAnswer(answer.body) ? answer.body : undefined;
        received.push({
          at: now(),
          status: answer.status,
          ...flags,
          method,
          params,
          contentType,
          ...(flags.failedWith === undefined && body ? { ok: body.ok, ...(body.ok ? {} : { error: body.error }) } : {}),
        });
      },
    );
  };

  const messagesIn = (ref: string): SlackMessage[] => structuredClone(channelFor(ref, false)?.messages ?? []);
  const threadOf = (ref: string, ts: string): SlackMessage[] => {
    const channel = channelFor(ref, false);
    const message = channel && findMessage(channel, ts);
    return channel && message ? structuredClone(thread(channel, threadRoot(channel, message))) : [];
  };
  const addUser = (user: SlackUser) => void users.set(user.id, { ...user });
  const reset = () => {
    received.length = 0;
    responses.length = 0;
    plans.clear();
    channels.clear();
    channelIdsByName.clear();
  };
  const controls = {
    received: () => received,
    fail: plans.add.bind(plans),
    reset,
    routes: {
      "GET messages": ({ query }: { query: URLSearchParams }) => messagesIn(query.get("channel") ?? ""),
      "GET thread": ({ query }: { query: URLSearchParams }) =>
        threadOf(query.get("channel") ?? "", query.get("ts") ?? ""),
      "GET channels": () => [...channels.values()],
      "GET responses": ({ query }: { query: URLSearchParams }) => {
        const id = query.get("id");
        return id ? responses.filter((r) => r.id === id) : responses;
      },
      "POST users": ({ body }: { body: unknown }) => {
        if (
          !isRecord(body) ||
          typeof body.id !== "string" ||
          typeof body.name !== "string" ||
          typeof body.email !== "string"
        ) {
          throw new Error("a user is {id, name, email, realName?, isBot?}");
        }
        addUser({
          id: body.id,
          name: body.name,
          email: body.email,
          ...(typeof body.realName === "string" ? { realName: body.realName } : {}),
          ...(body.isBot === true ? { isBot: true } : {}),
        });
        return { ok: true };
      },
    },
  };

  const { server, url } = await startHttpServer(options.port, handle);
  return {
    url,
    botToken,
    received,
    responses,
    responseUrl: (id) => `${url}/response/${id}`,
    responsesTo: (id) => responses.filter((r) => r.id === id).map((r) => r.body),
    fail: (plan) => plans.add(plan),
    reset,
    close: () => closeHttpServer(server),
    addUser,
    messagesIn,
    threadOf,
    channel: (ref) => {
      const channel = channelFor(ref, false);
      return channel && structuredClone(channel);
    },
  };
}

export interface SlackControl extends FakeControl<SlackReceived> {
  messagesIn(channel: string): Promise<SlackMessage[]>;
  threadOf(channel: string, ts: string): Promise<SlackMessage[]>;
  addUser(user: SlackUser): Promise<void>;
  /** What was posted to response_urls (all, or those of one id). */
  responses(id?: string): Promise<SlackResponseReceived[]>;
}

/** From a spec in another process: the Slack fake's control routes (url: the fake's base URL). */
export function slackControl(url: string): SlackControl {
  const control = fakeControl<SlackReceived>(url);
  return {
    ...control,
    messagesIn: (channel) => control.get<SlackMessage[]>("messages", { channel }),
    threadOf: (channel, ts) => control.get<SlackMessage[]>("thread", { channel, ts }),
    addUser: async (user) => void (await control.post("users", user)),
    responses: (id) => control.get<SlackResponseReceived[]>("responses", id ? { id } : {}),
  };
}
