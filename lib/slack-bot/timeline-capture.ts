// In an incident's own channel, a message someone pins (pin_added) or marks with the configured reaction
// (reaction_added, SLACK_TIMELINE_REACTION) becomes a note on the incident's timeline, written as that
// person through the same verb as any note. Each message is taken once, however often it is pinned or
// marked and however often Slack retries the event.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import { webhookDeliveries } from "@/db/schema";
import { can } from "../auth/permissions";
import { isAppError } from "../errors";
import { addTimelineEvent } from "../incidents/add-timeline-event";
import { findIncidentInChannel } from "./incident-channel";
import { notAllowed, type SlackReply } from "./replies";
import { actorFor, doorOf, type SlackDoor } from "./slack-door";
import { clip, slackTextToPlain } from "./slack-text";

const PinAdded = z.looseObject({
  user: z.string(),
  channel_id: z.string().optional(),
  item: z.looseObject({
    type: z.string(),
    channel: z.string().optional(),
    message: z.looseObject({ ts: z.string(), text: z.string().optional() }).optional(),
  }),
});

const ReactionAdded = z.looseObject({
  user: z.string(),
  reaction: z.string(),
  item: z.looseObject({ type: z.string(), channel: z.string().optional(), ts: z.string().optional() }),
});

interface Marked {
  how: "pinned" | "marked";
  slackUserId: string;
  channel: string;
  ts: string;
  /** The message's text when the event carries it (pins do). */
  text?: string;
}

type EventArgs = SlackEventMiddlewareArgs & AllMiddlewareArgs;

export async function noteFromPin(args: EventArgs): Promise<void> {
  const door = doorOf(args.context);
  const event = PinAdded.safeParse(args.event);
  if (!event.success) return door.log.warn({ errors: event.error.issues }, "unexpected pin_added event");
  const { item, user } = event.data;
  const channel = item.channel ?? event.data.channel_id;
  if (item.type !== "message" || !item.message || !channel) return;
  await captureMessage(door, args.client, {
    how: "pinned",
    slackUserId: user,
    channel,
    ts: item.message.ts,
    text: item.message.text,
  });
}

export async function noteFromReaction(args: EventArgs): Promise<void> {
  const door = doorOf(args.context);
  const event = ReactionAdded.safeParse(args.event);
  if (!event.success) return door.log.warn({ errors: event.error.issues }, "unexpected reaction_added event");
  const { item, user, reaction } = event.data;
  // Skin tones arrive as "+1::skin-tone-2"; the configured name has none.
  if (reaction.split("::")[0] !== door.config.slack.timelineReaction) return;
  if (item.type !== "message" || !item.channel || !item.ts) return;
  await captureMessage(door, args.client, { how: "marked", slackUserId: user, channel: item.channel, ts: item.ts });
}

async function captureMessage(door: SlackDoor, client: WebClient, marked: Marked): Promise<void> {
  const incidentId = await findIncidentInChannel(door.db, marked.channel);
  if (!incidentId) return; // not an incident channel: pins and reactions there are none of our business
  const tell = async (message: SlackReply) => {
    await client.chat.postEphemeral({ channel: marked.channel, user: marked.slackUserId, text: message.text });
  };
  const actor = await actorFor(door, client, marked.slackUserId, tell);
  if (!actor) return;
  if (!can(actor.role, "incident.add_timeline_event"))
    return tell(notAllowed(actor.role, "add messages to the incident's timeline"));

  const text = marked.text ?? (await messageText(client, marked.channel, marked.ts));
  if (text === null)
    return door.log.warn({ channel: marked.channel, ts: marked.ts }, "the marked Slack message was not found");
  const note = clip(
    `${marked.how === "pinned" ? "Pinned" : "Marked"} in Slack: ${slackTextToPlain(text).trim() || "(a message without text)"}`,
    10_000,
  );
  try {
    await door.db.transaction(async (tx) => {
      const [first] = await tx
        .insert(webhookDeliveries)
        .values({ source: "slack", deliveryId: `timeline:${marked.channel}:${marked.ts}`, receivedAt: new Date() })
        .onConflictDoNothing()
        .returning();
      if (!first) return; // this message is on the timeline already
      await addTimelineEvent({ ctx: { db: tx, actor, now: new Date() }, input: { ref: incidentId, text: note } });
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    door.log.warn({ err: error, channel: marked.channel }, "a marked Slack message could not become a timeline note");
  }
}

/** A message's text by its ts: in the channel's history, else in a thread. Null when it is gone. */
async function messageText(client: WebClient, channel: string, ts: string): Promise<string | null> {
  const history = await client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 });
  const inChannel = history.messages?.find((m) => m.ts === ts);
  if (inChannel) return inChannel.text ?? "";
  try {
    const thread = await client.conversations.replies({ channel, ts, limit: 200 });
    const reply = thread.messages?.find((m) => m.ts === ts);
    return reply ? (reply.text ?? "") : null;
  } catch {
    return null; // thread_not_found: the message was deleted meanwhile
  }
}
