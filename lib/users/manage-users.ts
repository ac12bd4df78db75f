// Admin verbs on people: list them, pin (or unpin) their role, link their Slack user, and disable them.
// A pinned role wins over the identity provider's claims at every sign-in; unpinning lets the claims
// decide again from the next sign-in. The Slack link is how the Slack bot knows who pressed a button
// (lib/slack-bot). Disabling also signs the person out everywhere (lib/auth/session.ts).
import { and, asc, eq, ne, or } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { users, type UserRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { roles } from "../auth/roles";
import { announceEveryTokenChanged } from "../auth/token-actor-cache";
import { type VerbArgs, inTransaction } from "../context";
import { conflict, notFound } from "../errors";
import { parseInput } from "../input";

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: UserRow["role"];
  role_pinned: boolean;
  slack_user_id: string | null;
  last_sign_in_at: string | null;
  /** When an admin disabled them; null: they may sign in. */
  disabled_at: string | null;
  created_at: string;
}

const toSummary = (u: UserRow): UserSummary => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  role_pinned: u.rolePinned,
  slack_user_id: u.slackUserId,
  last_sign_in_at: u.lastSignInAt?.toISOString() ?? null,
  disabled_at: u.disabledAt?.toISOString() ?? null,
  created_at: u.createdAt.toISOString(),
});

export async function listUsers({ ctx }: VerbArgs<unknown>): Promise<UserSummary[]> {
  authorize(ctx.actor, "user.manage");
  return (await ctx.db.select().from(users).orderBy(asc(users.name))).map(toSummary);
}

export const SetUserRoleInput = z.object({
  id: z.uuid(),
  role: z.enum(roles),
  role_pinned: z.boolean().default(true),
});
export type SetUserRoleInput = z.input<typeof SetUserRoleInput>;

export async function setUserRole({ ctx, input }: VerbArgs<SetUserRoleInput>): Promise<UserSummary> {
  authorize(ctx.actor, "user.manage");
  const { id, role, role_pinned } = parseInput(SetUserRoleInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const { user, otherAdmins } = await lockUserAndAdmins(txCtx.db, id);
    if (user.role === "admin" && !user.disabledAt && role !== "admin" && otherAdmins === 0) {
      throw conflict("This is the last admin; make someone else an admin first");
    }
    if (user.role === role && user.rolePinned === role_pinned) return toSummary(user);
    const [updated] = await txCtx.db
      .update(users)
      .set({ role, rolePinned: role_pinned })
      .where(eq(users.id, id))
      .returning();
    await announceEveryTokenChanged(txCtx.db);
    await recordAudit(txCtx, {
      action: "user.set_role",
      resourceType: "user",
      resourceId: id,
      details: { email: user.email, from: user.role, to: role, pinned: role_pinned },
    });
    return toSummary(updated ?? user);
  });
}

/**
 * The person and every admin, locked in one order: two admins demoting (or disabling) each other at the
 * same moment must not each count the other as the admin who remains. "No key update" conflicts with
 * itself but not with the key-share locks of foreign keys (an audit row, an incident's owner), so those
 * writes neither wait for this nor deadlock with it. A disabled admin is no admin who remains.
 */
async function lockUserAndAdmins(tx: DbOrTx, id: string): Promise<{ user: UserRow; otherAdmins: number }> {
  const locked = await tx
    .select()
    .from(users)
    .where(or(eq(users.id, id), eq(users.role, "admin")))
    .orderBy(asc(users.id))
    .for("no key update");
  const user = locked.find((u) => u.id === id);
  if (!user) throw notFound(`User ${id}`);
  return { user, otherAdmins: locked.filter((u) => u.role === "admin" && u.id !== id && !u.disabledAt).length };
}

export const SetUserDisabledInput = z.object({ id: z.uuid(), disabled: z.boolean() });
export type SetUserDisabledInput = z.input<typeof SetUserDisabledInput>;

/**
 * Disables a person and signs them out everywhere: every session they hold stops at its next request, and
 * they cannot sign in (nor act through Slack) until an admin enables them again. Enabling does not revive
 * the sessions that were open when they were disabled: they sign in afresh.
 */
export async function setUserDisabled({ ctx, input }: VerbArgs<SetUserDisabledInput>): Promise<UserSummary> {
  authorize(ctx.actor, "user.manage");
  const { id, disabled } = parseInput(SetUserDisabledInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const { user, otherAdmins } = await lockUserAndAdmins(txCtx.db, id);
    if (Boolean(user.disabledAt) === disabled) return toSummary(user);
    if (disabled && ctx.actor.type === "user" && ctx.actor.userId === id)
      throw conflict("You cannot disable yourself; ask another admin");
    if (disabled && user.role === "admin" && otherAdmins === 0)
      throw conflict("This is the last admin; make someone else an admin first");
    // Every session signed in up to now ends, including one whose sign-in committed just before this
    // (its time may be a moment later than ours, on another replica's clock).
    const revokedAt = user.lastSignInAt && user.lastSignInAt > ctx.now ? user.lastSignInAt : ctx.now;
    const [updated] = await txCtx.db
      .update(users)
      .set(disabled ? { disabledAt: ctx.now, sessionsRevokedAt: revokedAt } : { disabledAt: null })
      .where(eq(users.id, id))
      .returning();
    // A token's actor does not depend on its creator today; dropping every cached one (rare, cheap)
    // keeps the token cache from outliving any rule that comes to tie them.
    await announceEveryTokenChanged(txCtx.db);
    await recordAudit(txCtx, {
      action: disabled ? "user.disable" : "user.enable",
      resourceType: "user",
      resourceId: id,
      details: { email: user.email, ...(disabled ? { sessions_revoked: true } : {}) },
    });
    return toSummary(updated ?? user);
  });
}

/** Slack user ids: U… (or W… in Enterprise Grid). */
const SlackUserId = z
  .string()
  .trim()
  .regex(/^[UW][A-Z0-9]{2,20}$/, "a Slack user id such as U024BE7LH");

export const SetUserSlackIdInput = z.object({ id: z.uuid(), slack_user_id: SlackUserId.nullable() });
export type SetUserSlackIdInput = z.input<typeof SetUserSlackIdInput>;

/** Links a person to their Slack user (or unlinks them with null); one Slack user stands for one person. */
export async function setUserSlackId({ ctx, input }: VerbArgs<SetUserSlackIdInput>): Promise<UserSummary> {
  authorize(ctx.actor, "user.manage");
  const { id, slack_user_id } = parseInput(SetUserSlackIdInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const [user] = await txCtx.db.select().from(users).where(eq(users.id, id)).for("update");
    if (!user) throw notFound(`User ${id}`);
    if (user.slackUserId === slack_user_id) return toSummary(user);
    if (slack_user_id) {
      const [other] = await txCtx.db
        .select({ email: users.email })
        .from(users)
        .where(and(eq(users.slackUserId, slack_user_id), ne(users.id, id)));
      if (other)
        throw conflict(`Slack user ${slack_user_id} is already linked to ${other.email}; unlink it there first`);
    }
    const [updated] = await txCtx.db
      .update(users)
      .set({ slackUserId: slack_user_id })
      .where(eq(users.id, id))
      .returning();
    await recordAudit(txCtx, {
      action: slack_user_id ? "user.link_slack" : "user.unlink_slack",
      resourceType: "user",
      resourceId: id,
      details: { email: user.email, from: user.slackUserId, to: slack_user_id },
    });
    return toSummary(updated ?? user);
  });
}

/** PATCH /api/v1/users/{id}: a role, a Slack link, disabling or enabling, in one transaction. */
const UpdateUserFields = z.strictObject({
  role: z.enum(roles).optional(),
  role_pinned: z.boolean().optional(),
  slack_user_id: SlackUserId.nullable().optional(),
  disabled: z
    .boolean()
    .optional()
    .describe("true: disable the person and end all their sessions; false: let them sign in again"),
});
const userUpdateChecks = <S extends z.ZodType<z.output<typeof UpdateUserFields>>>(schema: S) =>
  schema
    .refine((v) => v.role !== undefined || v.slack_user_id !== undefined || v.disabled !== undefined, {
      message: "give a role, a slack_user_id or disabled",
    })
    .refine((v) => v.role_pinned === undefined || v.role !== undefined, {
      message: "role_pinned goes with a role",
      path: ["role_pinned"],
    });
// Strict: an unknown field is a 400 naming it (lib/input.ts), not silently dropped.
export const UpdateUserBody = userUpdateChecks(UpdateUserFields);
export const UpdateUserInput = userUpdateChecks(UpdateUserFields.extend({ id: z.uuid() }));
export type UpdateUserInput = z.input<typeof UpdateUserInput>;

export async function updateUser({ ctx, input }: VerbArgs<UpdateUserInput>): Promise<UserSummary> {
  authorize(ctx.actor, "user.manage");
  const { id, role, role_pinned, slack_user_id, disabled } = parseInput(UpdateUserInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const inner = { ...ctx, db: txCtx.db };
    let summary: UserSummary | undefined;
    if (role)
      summary = await setUserRole({
        ctx: inner,
        input: { id, role, ...(role_pinned !== undefined ? { role_pinned } : {}) },
      });
    if (slack_user_id !== undefined) summary = await setUserSlackId({ ctx: inner, input: { id, slack_user_id } });
    if (disabled !== undefined) summary = await setUserDisabled({ ctx: inner, input: { id, disabled } });
    if (!summary) throw new Error("updateUser changed nothing it was asked to");
    return summary;
  });
}
