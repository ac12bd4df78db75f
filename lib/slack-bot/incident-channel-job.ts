// The worker side of incident channels: create #inc-<n>-<slug> once (adopting it if an earlier attempt
// created it and then died), store it on the incident, have the notification pipeline post the card there
// (so it is kept up to date like every other card), and invite the owner and whoever declared it.
import { ErrorCode, type WebAPIPlatformError, type WebClient } from "@slack/web-api";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { incidents, timelineEvents, users } from "@/db/schema";
import { inTransaction, systemActor } from "../context";
import type { Config } from "../env";
import { findIncident, toIncident } from "../incidents/incident-store";
import { recordIncidentChange } from "../incidents/record-incident-change";
import { slackClient } from "../integrations/slack/web-api";
import { defineJob } from "../jobs/job-definition";
import { addNotifications } from "../notifications/plan-notifications";
import type { Logger } from "../observability/logger";
import { INCIDENT_CHANNEL_JOB, incidentChannelName, wantsIncidentChannel } from "./incident-channel";

export const incidentChannelJob = defineJob({
  name: INCIDENT_CHANNEL_JOB,
  payload: z.object({ incident_id: z.uuid(), event_id: z.number().int().positive() }),
  maxAttempts: 10,
  async handler({ incident_id, event_id }, job) {
    const { config } = job;
    const { botToken, apiUrl, incidentChannels } = config.slack;
    if (!incidentChannels || !botToken) return;
    await ensureIncidentChannel({
      db: job.db,
      client: slackClient({ botToken, apiUrl }),
      config,
      incidentId: incident_id,
      eventId: event_id,
      log: job.logger,
    });
  },
});

const slackErrorOf = (error: unknown) =>
  (error as WebAPIPlatformError).code === ErrorCode.PlatformError ? (error as WebAPIPlatformError).data.error : null;

export async function ensureIncidentChannel(args: {
  db: DbOrTx;
  client: WebClient;
  config: Config;
  incidentId: string;
  eventId: number;
  log: Logger;
}): Promise<string | null> {
  const { db, client, log } = args;
  const row = await findIncident(db, args.incidentId);
  let channelId = row.slackChannelId;
  if (!channelId) {
    if (!wantsIncidentChannel(await toIncident(db, row))) return null;
    const channel = await createOrAdoptChannel(client, incidentChannelName(row.number, row.title));
    const ctx = { db, actor: systemActor("Vigil Slack bot"), now: new Date() };
    channelId = await inTransaction(ctx, async (txCtx) => {
      const locked = await findIncident(txCtx.db, row.id, { lock: true });
      if (locked.slackChannelId) return locked.slackChannelId;
      await recordIncidentChange(txCtx, locked, {
        patch: { slackChannelId: channel.id },
        event: {
          kind: "slack_channel_created",
          text: `Slack channel #${channel.name} opened for this incident`,
          data: { channel_id: channel.id, channel_name: channel.name },
        },
        audit: { action: "incident.slack_channel", details: { channel_id: channel.id, channel_name: channel.name } },
      });
      // The card in the new channel is a message like any other: the notification pipeline posts and updates it.
      const card = {
        purpose: "open",
        channel: "slack",
        target: channel.id,
        rule: "incident channel",
        isFallback: false,
      } as const;
      await addNotifications(txCtx.db, locked, args.eventId, [card], args.config.notifications, txCtx.now);
      return channel.id;
    });
  }
  for (const member of await membersToInvite(db, client, row.id, log)) {
    try {
      await client.conversations.invite({ channel: channelId, users: member });
    } catch (error) {
      const code = slackErrorOf(error);
      if (code === "already_in_channel" || code === "cant_invite_self") continue;
      if (code)
        log.warn({ slack_error: code, channel: channelId, user: member }, "could not invite to the incident channel");
      else throw error; // Slack unreachable or rate limiting: the job tries again.
    }
  }
  return channelId;
}

async function createOrAdoptChannel(client: WebClient, name: string): Promise<{ id: string; name: string }> {
  try {
    const created = await client.conversations.create({ name });
    if (!created.channel?.id) throw new Error("conversations.create answered without a channel");
    return { id: created.channel.id, name: created.channel.name ?? name };
  } catch (error) {
    if (slackErrorOf(error) !== "name_taken") throw error;
    // An earlier attempt created it and died before storing it (or someone made it by hand): use it.
    const existing = await findChannelByName(client, name);
    if (!existing) throw error;
    return existing;
  }
}

async function findChannelByName(client: WebClient, name: string): Promise<{ id: string; name: string } | null> {
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const result = await client.conversations.list({
      types: "public_channel",
      exclude_archived: true,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    const match = result.channels?.find((c) => c.name === name);
    if (match?.id) return { id: match.id, name };
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  return null;
}

/** The owner (by their Slack link, else their email) and the Slack user who declared the incident. */
async function membersToInvite(db: DbOrTx, client: WebClient, incidentId: string, log: Logger): Promise<string[]> {
  const members = new Set<string>();
  const [incident] = await db
    .select({ ownerId: incidents.ownerId })
    .from(incidents)
    .where(eq(incidents.id, incidentId));
  const [owner] = incident?.ownerId ? await db.select().from(users).where(eq(users.id, incident.ownerId)) : [];
  if (owner?.slackUserId) members.add(owner.slackUserId);
  else if (owner) {
    try {
      const found = await client.users.lookupByEmail({ email: owner.email });
      if (found.user?.id) members.add(found.user.id);
    } catch (error) {
      log.info(
        { slack_error: slackErrorOf(error), owner: owner.id },
        "the incident owner has no Slack account by that email",
      );
    }
  }
  const [declared] = await db
    .select({ actorId: timelineEvents.actorId })
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.incidentId, incidentId),
        eq(timelineEvents.kind, "created"),
        eq(timelineEvents.actorType, "slack"),
      ),
    )
    .orderBy(asc(timelineEvents.id))
    .limit(1);
  if (declared?.actorId) members.add(declared.actorId);
  return [...members];
}
