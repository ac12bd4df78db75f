// Admin verbs on people: list them, and pin (or unpin) their role. A pinned role wins over the identity
// provider's claims at every sign-in; unpinning lets the claims decide again from the next sign-in.
import { and, asc, count, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { users, type UserRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { roles } from "../auth/roles";
import type { VerbArgs } from "../context";
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
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, id)).for("update");
    if (!user) throw notFound(`User ${id}`);
    if (user.role === "admin" && role !== "admin") {
      const [others] = await tx.select({ n: count() }).from(users).where(and(eq(users.role, "admin"), ne(users.id, id)));
      if ((others?.n ?? 0) === 0) throw conflict("This is the last admin; make someone else an admin first");
    }
    if (user.role === role && user.rolePinned === role_pinned) return toSummary(user);
    const [updated] = await tx.update(users).set({ role, rolePinned: role_pinned }).where(eq(users.id, id)).returning();
    await recordAudit(tx, ctx, {
      action: "user.set_role",
      resourceType: "user",
      resourceId: id,
      details: { email: user.email, from: user.role, to: role, pinned: role_pinned },
    });
    return toSummary(updated ?? user);
  });
}
