// The dev inbox's Slack Web API look-alike: the methods Vigil calls (lib/integrations/slack, lib/slack-bot),
// answered in Slack's shapes (HTTP 200, `ok`), with every message posted or updated kept for /dev/inbox.
// There is no workspace behind it: channels are made up on use, nobody is in them, history is empty.
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { devInboxMessages } from "@/db/schema";
import { recordDevInboxMessage } from "./inbox";
import { sameSecret, type VendorAnswer } from "./twilio";

export interface SlackWebApiRequest {
  method: string;
  authorization: string | null;
  /** Form fields or JSON members, as sent. */
  params: Record<string, unknown>;
}

type Params = Record<string, unknown>;
type Answer = Record<string, unknown> & { ok: boolean };

const DEV_TEAM = "T0DEVINBOX";
const DEV_BOT_USER = "U0DEVBOT";

const str = (p: Params, key: string): string | undefined => {
  const v = p[key];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
};
const fail = (error: string): Answer => ({ ok: false, error });
const hashId = (prefix: string, text: string) =>
  `${prefix}${createHash("sha256").update(text).digest("hex").slice(0, 10).toUpperCase()}`;

/** Slack's "seconds.microseconds" message id. */
const tsOf = (now: Date) =>
  `${Math.floor(now.getTime() / 1000)}.${String((now.getTime() % 1000) * 1000).padStart(6, "0")}`;

/**
 * `<url|label>` and `<url>` as people read them, so the inbox shows (and links) the address; bold markers
 * go, or `*<url|label>*` would leave a `*` stuck to the address.
 */
export function plainMrkdwn(text: string): string {
  return text
    .replace(/\*([^*\n]+)\*/g, "$1")
    .replace(/<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>/g, (_m, url: string, label?: string) =>
      label && label !== url ? `${label} (${url})` : url,
    );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The words of Block Kit blocks, a line per text, with buttons that open a URL shown with it. */
export function blocksText(blocks: unknown): string {
  const lines: string[] = [];
  const textOf = (node: unknown) => (isRecord(node) && typeof node.text === "string" ? node.text : undefined);
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isRecord(node)) return;
    if (node.type === "button") {
      const label = textOf(node.text);
      if (typeof node.url === "string") lines.push(`[${label ?? "link"}] ${node.url}`);
      else if (label) lines.push(`[${label}]`);
      return;
    }
    if (node.type === "overflow" || node.type === "static_select") return;
    const own = textOf(node.text);
    if (own) lines.push(own);
    for (const key of ["fields", "elements"]) {
      const children = node[key];
      if (!Array.isArray(children)) continue;
      const texts = children.filter((c) => isRecord(c) && c.type !== "button").map(textOf);
      if (texts.some(Boolean) && children.every((c) => isRecord(c) && c.type !== "button" && textOf(c) !== undefined))
        lines.push(texts.join("   "));
      else children.forEach(visit);
    }
  };
  visit(blocks);
  return lines
    .map((l) => plainMrkdwn(l).trim())
    .filter(Boolean)
    .join("\n");
}

/** Form fields carry Block Kit and metadata as JSON strings (what @slack/web-api sends). */
function parseJsonField(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function messageBody(p: Params): string {
  const text = plainMrkdwn(str(p, "text") ?? "");
  const blocks = blocksText(parseJsonField(p.blocks));
  return [text, blocks && blocks !== text ? blocks : ""].filter(Boolean).join("\n\n");
}

/** A channel as people know it: a made-up id from conversations.create is shown by the name it was made with. */
async function channelName(db: DbOrTx, channel: string): Promise<string> {
  if (!/^C[0-9A-F]{10}$/.test(channel)) return channel;
  const [created] = await db
    .select({ name: sql<string>`${devInboxMessages.raw}->>'name'` })
    .from(devInboxMessages)
    .where(and(eq(devInboxMessages.channel, "slack"), sql`${devInboxMessages.raw}->>'channel_id' = ${channel}`))
    .limit(1);
  return created?.name ? `#${created.name}` : channel;
}

const channelInfo = (id: string, name: string, now: Date) => ({
  id,
  name,
  name_normalized: name,
  is_channel: true,
  is_private: false,
  is_archived: false,
  is_member: true,
  created: Math.floor(now.getTime() / 1000),
  creator: DEV_BOT_USER,
});

const userInfo = (id: string, email: string) => ({
  id,
  team_id: DEV_TEAM,
  name: email.split("@")[0] || id.toLowerCase(),
  real_name: email || id,
  deleted: false,
  is_bot: false,
  tz: "Etc/UTC",
  profile: { email, real_name: email || id, display_name: email.split("@")[0] ?? id },
});

type Method = (db: DbOrTx, p: Params, now: Date) => Promise<Answer> | Answer;

const methods: Record<string, Method> = {
  "auth.test": () => ({
    ok: true,
    url: "https://vigil-dev-inbox.slack.com/",
    team: "Vigil dev inbox",
    user: "vigil",
    team_id: DEV_TEAM,
    user_id: DEV_BOT_USER,
    bot_id: "B0DEVBOT",
  }),
  "chat.postMessage": async (db, p, now) => {
    const channel = str(p, "channel");
    if (!channel) return fail("channel_not_found");
    const body = messageBody(p);
    if (!body) return fail("no_text");
    const threadTs = str(p, "thread_ts");
    const ts = tsOf(now);
    await recordDevInboxMessage(db, {
      channel: "slack",
      recipient: await channelName(db, channel),
      subject: threadTs ? "Reply in the incident's thread" : null,
      body,
      raw: { method: "chat.postMessage", ...p },
      receivedAt: now,
    });
    return {
      ok: true,
      channel,
      ts,
      message: {
        type: "message",
        ts,
        text: str(p, "text") ?? "",
        user: DEV_BOT_USER,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
    };
  },
  "chat.update": async (db, p, now) => {
    const channel = str(p, "channel");
    const ts = str(p, "ts");
    if (!channel) return fail("channel_not_found");
    if (!ts) return fail("message_not_found");
    await recordDevInboxMessage(db, {
      channel: "slack",
      recipient: await channelName(db, channel),
      subject: "Message updated",
      body: messageBody(p) || "(no text)",
      raw: { method: "chat.update", ...p },
      receivedAt: now,
    });
    return { ok: true, channel, ts, text: str(p, "text") ?? "" };
  },
  "chat.postEphemeral": async (db, p, now) => {
    const channel = str(p, "channel");
    if (!channel) return fail("channel_not_found");
    const body = messageBody(p);
    if (!body) return fail("no_text");
    await recordDevInboxMessage(db, {
      channel: "slack",
      recipient: `${await channelName(db, channel)} (only ${str(p, "user") ?? "someone"} sees it)`,
      body,
      raw: { method: "chat.postEphemeral", ...p },
      receivedAt: now,
    });
    return { ok: true, message_ts: tsOf(now) };
  },
  "chat.getPermalink": (_db, p) => ({
    ok: true,
    channel: str(p, "channel") ?? "",
    permalink: `https://vigil-dev-inbox.slack.com/archives/${str(p, "channel") ?? "C0"}/p${(str(p, "message_ts") ?? "0").replace(".", "")}`,
  }),
  "conversations.create": async (db, p, now) => {
    const name = str(p, "name")?.replace(/^#/, "");
    if (!name) return fail("invalid_name_required");
    if (!/^[a-z0-9_-]{1,80}$/.test(name)) return fail("invalid_name_specials");
    const id = hashId("C", name);
    await recordDevInboxMessage(db, {
      channel: "slack",
      recipient: `#${name}`,
      subject: "Channel created",
      body: `Vigil created the channel #${name}.`,
      raw: { method: "conversations.create", channel_id: id, name },
      receivedAt: now,
    });
    return { ok: true, channel: channelInfo(id, name, now) };
  },
  "conversations.invite": (_db, p, now) => {
    const channel = str(p, "channel");
    return channel ? { ok: true, channel: channelInfo(channel, channel, now) } : fail("channel_not_found");
  },
  "conversations.join": (_db, p, now) => {
    const channel = str(p, "channel");
    return channel ? { ok: true, channel: channelInfo(channel, channel, now) } : fail("channel_not_found");
  },
  "conversations.info": (_db, p, now) => {
    const channel = str(p, "channel");
    return channel ? { ok: true, channel: channelInfo(channel, channel, now) } : fail("channel_not_found");
  },
  // Nothing is kept to read back: a retry that looks for its earlier message finds none and posts again.
  "conversations.history": () => ({ ok: true, messages: [], has_more: false }),
  "conversations.replies": () => ({ ok: true, messages: [], has_more: false }),
  "conversations.list": () => ({ ok: true, channels: [], response_metadata: { next_cursor: "" } }),
  "pins.add": () => ({ ok: true }),
  "reactions.add": () => ({ ok: true }),
  "views.open": (_db, p) => ({ ok: true, view: { id: hashId("V", JSON.stringify(p.view ?? "")), team_id: DEV_TEAM } }),
  "users.info": (_db, p) => {
    const user = str(p, "user");
    return user ? { ok: true, user: userInfo(user, "") } : fail("user_not_found");
  },
  // Everyone has a Slack account in the dev inbox: the same made-up id for the same address.
  "users.lookupByEmail": (_db, p) => {
    const email = (str(p, "email") ?? "").toLowerCase();
    return email.includes("@") ? { ok: true, user: userInfo(hashId("U", email), email) } : fail("users_not_found");
  },
};

export async function receiveSlackRequest(
  db: DbOrTx,
  request: SlackWebApiRequest,
  botToken: string | undefined,
  now = new Date(),
): Promise<VendorAnswer> {
  // Slack takes the token from the header or, for form posts, a `token` field.
  const header = request.authorization;
  const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : str(request.params, "token");
  let answer: Answer;
  if (!token) answer = fail("not_authed");
  else if (!botToken || !sameSecret(token, botToken)) answer = fail("invalid_auth");
  else if (!Object.hasOwn(methods, request.method)) answer = fail("unknown_method");
  else answer = await methods[request.method]!(db, request.params, now);
  return { status: 200, body: answer };
}
