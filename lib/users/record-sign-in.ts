// A person signed in through the identity provider: upsert them (subject, email, name), take the role
// their claims map to unless an admin pinned one, stamp the sign-in, and audit it.
import { and, eq, isNull, sql } from "drizzle-orm";
import { users, type UserRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { roleFromClaims, type DefaultRole, type RoleMap } from "../auth/role-mapping";
import type { Ctx } from "../context";

export interface SignInInput {
  subject: string;
  email: string;
  name: string;
  claims: Record<string, unknown>;
}

export interface RoleSettings {
  rolesClaim: string;
  roleMap: RoleMap;
  defaultRole: DefaultRole;
}

export type SignInResult = { user: UserRow } | { refused: string };

export async function recordSignIn(ctx: Ctx, input: SignInInput, settings: RoleSettings): Promise<SignInResult> {
  const claimRole = roleFromClaims(input.claims, settings);
  return ctx.db.transaction(async (tx) => {
    // Someone the seed or an admin created before their first sign-in is matched by email once.
    const [bySubject] = await tx.select().from(users).where(eq(users.oidcSubject, input.subject)).for("update");
    const [byEmail] = bySubject
      ? []
      : await tx.select().from(users).where(and(isNull(users.oidcSubject), sql`lower(${users.email}) = lower(${input.email})`)).for("update");
    const existing = bySubject ?? byEmail;

    if (!claimRole && !existing?.rolePinned) {
      await recordAudit(tx, ctx, { action: "auth.sign_in_refused", resourceType: "user", resourceId: existing?.id ?? null, details: { email: input.email, reason: "no role" } });
      return { refused: "Your account has no Vigil role. Ask a Vigil admin to give you one." };
    }
    const role = existing?.rolePinned ? existing.role : claimRole!;
    const fields = { oidcSubject: input.subject, email: input.email, name: input.name || input.email, role, lastSignInAt: ctx.now };
    const [user] = existing
      ? await tx.update(users).set(fields).where(eq(users.id, existing.id)).returning()
      : await tx.insert(users).values({ ...fields, createdAt: ctx.now }).returning();
    if (!user) throw new Error("user upsert returned nothing");

    const actorCtx: Ctx = { ...ctx, db: tx, actor: { type: "user", userId: user.id, name: user.name, email: user.email, role: user.role, ip: ctx.actor.ip } };
    await recordAudit(tx, actorCtx, {
      action: "auth.sign_in",
      resourceType: "user",
      resourceId: user.id,
      details: { role: user.role, role_source: existing?.rolePinned ? "pinned" : "claims", ...(existing ? {} : { first_sign_in: true }) },
    });
    return { user };
  });
}

export async function recordSignOut(ctx: Ctx): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await recordAudit(tx, { ...ctx, db: tx }, { action: "auth.sign_out", resourceType: "user", resourceId: ctx.actor.type === "user" ? ctx.actor.userId : null });
  });
}
