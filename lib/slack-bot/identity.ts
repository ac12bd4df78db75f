// Who a Slack user is in Vigil. First by the link on users.slack_user_id (made here or by an admin);
// else by the email on their Slack profile (users.info, scope users:read.email) matched to a Vigil
// account's email, case-insensitively, and then the link is stored (audited) so the next request needs
// no call to Slack. Their Vigil role applies to everything they do through Slack; a person an admin
// disabled is refused here as at sign-in.
import type { WebClient } from "@slack/web-api";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users, type UserRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../context";
import type { Logger } from "../observability/logger";

export type SlackActor = Extract<Actor, { type: "slack" }>;

export type SlackIdentity =
  | { linked: true; actor: SlackActor; user: UserRow }
  /**
   * `email` is what Slack shows of them (null when nothing); `taken`: that account is linked to someone
   * else; `disabled`: an admin disabled their Vigil account.
   */
  | { linked: false; slackUserId: string; email: string | null; reason?: "taken" | "disabled" };

export const slackActorOf = (user: UserRow, slackUserId: string, ip: string | null): SlackActor => ({
  type: "slack",
  userId: user.id,
  name: user.name,
  slackUserId,
  role: user.role,
  ip,
});

export async function identifySlackUser(args: {
  db: DbOrTx;
  client: WebClient;
  slackUserId: string;
  ip: string | null;
  now: Date;
  log: Logger;
}): Promise<SlackIdentity> {
  const { db, slackUserId, ip } = args;
  const linked = await findLinkedUser(db, slackUserId);
  if (linked?.disabledAt) return { linked: false, slackUserId, email: linked.email, reason: "disabled" };
  if (linked) return { linked: true, actor: slackActorOf(linked, slackUserId, ip), user: linked };

  const email = await slackProfileEmail(args.client, slackUserId, args.log);
  if (!email) return { linked: false, slackUserId, email: null };
  const [candidate] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`);
  if (!candidate) return { linked: false, slackUserId, email };
  if (candidate.slackUserId && candidate.slackUserId !== slackUserId)
    return { linked: false, slackUserId, email, reason: "taken" };
  if (candidate.disabledAt) return { linked: false, slackUserId, email, reason: "disabled" };

  const user = await linkByEmail(db, candidate, slackUserId, ip, args.now);
  // Another request linked someone else first: this Slack user is still unknown.
  return user
    ? { linked: true, actor: slackActorOf(user, slackUserId, ip), user }
    : { linked: false, slackUserId, email, reason: "taken" };
}

async function findLinkedUser(db: DbOrTx, slackUserId: string): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.slackUserId, slackUserId));
  return user ?? null;
}

/** The Slack profile's email, or null (a bot, a missing scope, Slack down: the person is then unknown). */
async function slackProfileEmail(client: WebClient, slackUserId: string, log: Logger): Promise<string | null> {
  try {
    const result = await client.users.info({ user: slackUserId });
    if (result.user?.is_bot || result.user?.deleted) return null;
    return result.user?.profile?.email?.trim() || null;
  } catch (error) {
    log.warn({ err: error, slack_user_id: slackUserId }, "users.info failed; the Slack user stays unknown");
    return null;
  }
}

async function linkByEmail(
  db: DbOrTx,
  candidate: UserRow,
  slackUserId: string,
  ip: string | null,
  now: Date,
): Promise<UserRow | null> {
  if (candidate.slackUserId === slackUserId) return candidate;
  return db.transaction(async (tx) => {
    // Only an unlinked account is linked, so two racing requests cannot both claim it.
    const [updated] = await tx
      .update(users)
      .set({ slackUserId })
      .where(and(eq(users.id, candidate.id), isNull(users.slackUserId)))
      .returning();
    if (!updated) return findLinkedUser(tx, slackUserId);
    await recordAudit(
      { db: tx, actor: slackActorOf(updated, slackUserId, ip), now },
      {
        action: "user.link_slack",
        resourceType: "user",
        resourceId: updated.id,
        details: { email: updated.email, slack_user_id: slackUserId, matched_by: "email" },
      },
    );
    return updated;
  });
}

/**
 * The Vigil user a Slack user stands for, for naming an owner: linked, or matched by email (without
 * storing the link: only the person themselves or an admin makes links).
 */
export async function findVigilUserForSlackUser(args: {
  db: DbOrTx;
  client: WebClient;
  slackUserId: string;
  log: Logger;
}): Promise<UserRow | null> {
  const linked = await findLinkedUser(args.db, args.slackUserId);
  if (linked) return linked;
  const email = await slackProfileEmail(args.client, args.slackUserId, args.log);
  if (!email) return null;
  const [user] = await args.db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`);
  return user ?? null;
}
