// A person signed in through the identity provider: upsert them (subject, email, name), take the role
// their claims map to unless an admin pinned one, stamp the sign-in, and audit it. A person an admin
// disabled is refused. Someone known before their first sign-in is matched by email only when the
// provider vouches for that email: else anyone who can put an address in their profile there could take
// over that person's account here.
import { and, eq, isNull, sql } from "drizzle-orm";
import { users, type UserRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { roleFromClaims, type DefaultRole, type RoleMap } from "../auth/role-mapping";
import { type Ctx, inTransaction } from "../context";

export interface SignInInput {
  subject: string;
  email: string;
  /** The provider's `email_verified` claim; absent counts as not verified. */
  emailVerified: boolean | undefined;
  name: string;
  claims: Record<string, unknown>;
}

export interface RoleSettings {
  rolesClaim: string;
  roleMap: RoleMap;
  defaultRole: DefaultRole;
}

export interface SignInSettings extends RoleSettings {
  /** OIDC_TRUST_UNVERIFIED_EMAIL=1: the provider never sends email_verified (Microsoft Entra ID) but owns its emails. */
  trustUnverifiedEmail: boolean;
}

export type SignInRefusal = "no_role" | "email_unverified" | "disabled";
export type SignInResult = { user: UserRow } | { refused: string; reason: SignInRefusal };

export async function recordSignIn(ctx: Ctx, input: SignInInput, settings: SignInSettings): Promise<SignInResult> {
  const claimRole = roleFromClaims(input.claims, settings);
  return inTransaction(ctx, async (txCtx) => {
    // Someone the seed or an admin created before their first sign-in is matched by email once.
    const [bySubject] = await txCtx.db.select().from(users).where(eq(users.oidcSubject, input.subject)).for("update");
    const [byEmail] = bySubject
      ? []
      : await txCtx.db
          .select()
          .from(users)
          .where(and(isNull(users.oidcSubject), sql`lower(${users.email}) = lower(${input.email})`))
          .for("update");
    const existing = bySubject ?? byEmail;
    const refuse = async (reason: SignInRefusal, why: string, message: string): Promise<SignInResult> => {
      await recordAudit(txCtx, {
        action: "auth.sign_in_refused",
        resourceType: "user",
        resourceId: existing?.id ?? null,
        details: { email: input.email, subject: input.subject, reason: why },
      });
      return { refused: message, reason };
    };

    if (byEmail && input.emailVerified !== true && !settings.trustUnverifiedEmail) {
      return refuse(
        "email_unverified",
        "email not verified",
        "Your identity provider has not verified your email address, so Vigil cannot match you to the account that has it. Ask a Vigil admin.",
      );
    }
    if (existing?.disabledAt) {
      return refuse("disabled", "disabled", "Your Vigil account is disabled. Ask a Vigil admin to enable it.");
    }
    if (!claimRole && !existing?.rolePinned) {
      return refuse("no_role", "no role", "Your account has no Vigil role. Ask a Vigil admin to give you one.");
    }
    const role = existing?.rolePinned ? existing.role : claimRole!;
    const fields = {
      oidcSubject: input.subject,
      email: input.email,
      name: input.name || input.email,
      role,
      lastSignInAt: ctx.now,
    };
    const [user] = existing
      ? await txCtx.db.update(users).set(fields).where(eq(users.id, existing.id)).returning()
      : await txCtx.db
          .insert(users)
          .values({ ...fields, createdAt: ctx.now })
          .returning();
    if (!user) throw new Error("user upsert returned nothing");

    const actorCtx: Ctx = {
      ...txCtx,
      actor: { type: "user", userId: user.id, name: user.name, email: user.email, role: user.role, ip: ctx.actor.ip },
    };
    await recordAudit(actorCtx, {
      action: "auth.sign_in",
      resourceType: "user",
      resourceId: user.id,
      details: {
        role: user.role,
        role_source: existing?.rolePinned ? "pinned" : "claims",
        ...(existing ? {} : { first_sign_in: true }),
      },
    });
    return { user };
  });
}

export async function recordSignOut(ctx: Ctx): Promise<void> {
  await inTransaction(ctx, async (txCtx) => {
    await recordAudit(txCtx, {
      action: "auth.sign_out",
      resourceType: "user",
      resourceId: ctx.actor.type === "user" ? ctx.actor.userId : null,
    });
  });
}
