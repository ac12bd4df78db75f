// What every Slack listener works with: the database, configuration and logger of this request (handed
// through Bolt's context), and the two ways to answer: the HTTP acknowledgement while its window is open,
// else the request's response_url.
import type { RespondArguments, RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { DbOrTx } from "@/db/client";
import type { Ctx } from "../context";
import type { Config } from "../env";
import type { Logger } from "../observability/logger";
import { AckWindowClosed } from "./ack-window";
import { identifySlackUser, type SlackActor } from "./identity";
import { linkInstructions, type SlackReply } from "./replies";

export interface SlackDoor {
  db: DbOrTx;
  config: Config;
  log: Logger;
  requestId: string;
  /** The address the request came from (Slack's), for the audit log. */
  ip: string | null;
}

/** The key under which the door travels in Bolt's context (customProperties). */
export const DOOR_KEY = "vigilDoor";

export function doorOf(context: Record<string, unknown>): SlackDoor {
  const door = context[DOOR_KEY] as SlackDoor | undefined;
  if (!door) throw new Error("Slack listener called without its request context");
  return door;
}

/** A verb's context for this Slack user, timed now. */
export const ctxFor = (door: SlackDoor, actor: SlackActor): Ctx => ({ db: door.db, actor, now: new Date() });

type AckWith = (response?: string | RespondArguments) => Promise<void>;

/** Answers in the HTTP acknowledgement if it has not gone out yet, else through response_url. */
export async function reply(ack: AckWith, respond: RespondFn | undefined, message: SlackReply): Promise<void> {
  try {
    await ack(message as RespondArguments);
  } catch (error) {
    if (!(error instanceof AckWindowClosed)) throw error;
    if (!respond)
      throw new Error("Too late to answer Slack, and there is no response_url to answer through", { cause: error });
    await respond(message as RespondArguments);
  }
}

/** Acknowledges if nobody has: work that answers later (a modal, response_url) must not wait for it. */
export async function ackNow(ack: () => Promise<void>): Promise<void> {
  try {
    await ack();
  } catch (error) {
    if (!(error instanceof AckWindowClosed)) throw error;
  }
}

/**
 * The Vigil actor for a Slack user, or null after telling them (through `tell`) how to link their account.
 */
export async function actorFor(
  door: SlackDoor,
  client: WebClient,
  slackUserId: string,
  tell: (message: SlackReply) => Promise<void>,
): Promise<SlackActor | null> {
  const identity = await identifySlackUser({
    db: door.db,
    client,
    slackUserId,
    ip: door.ip,
    now: new Date(),
    log: door.log,
  });
  if (identity.linked) return identity.actor;
  await tell(
    linkInstructions({ slackUserId, email: identity.email, appUrl: door.config.appUrl, reason: identity.reason }),
  );
  return null;
}
