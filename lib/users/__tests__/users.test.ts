import { encode } from "@auth/core/jwt";
import { and, eq, inArray, notInArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, users } from "@/db/schema";
import { authenticateApiToken, createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { parseRoleMap } from "@/lib/auth/role-mapping";
import { authenticateSession } from "@/lib/auth/session";
import { systemActor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { admin, ctxOf, responder, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { sessionCookie, TEST_AUTH_SECRET } from "@/test/runtime";
import { setUserDisabled, setUserRole, updateUser } from "../manage-users";
import { recordSignIn, type SignInInput, type SignInSettings } from "../record-sign-in";

const t = useTestDatabase();
const HOUR = 3_600_000;
const settings: SignInSettings = {
  rolesClaim: "groups",
  roleMap: parseRoleMap("vigil-admins=admin,sre=responder"),
  defaultRole: "viewer",
  trustUnverifiedEmail: false,
};
let n = 0;
const person = (groups: string[] = []) => {
  n++;
  return {
    subject: `sub-${n}`,
    email: `person${n}@example.com`,
    emailVerified: true,
    name: `Person ${n}`,
    claims: { groups },
  };
};
const signIn = (input: SignInInput, s = settings) => recordSignIn(ctxOf(t.db, systemActor("sign-in")), input, s);
const sessions = { secret: TEST_AUTH_SECRET, secureCookie: false, maxAgeMs: 12 * HOUR };
const readSession = async (userId: string, signedInAt: Date, now = new Date()) =>
  authenticateSession(t.db, new Headers({ cookie: await sessionCookie(userId, { signedInAt }) }), sessions, null, now);
const userOf = (result: Awaited<ReturnType<typeof recordSignIn>>) => {
  if ("refused" in result) throw new Error(result.refused);
  return result.user;
};

describe("signing in", () => {
  it("creates the user with the role their groups map to, and audits the sign-in as them", async () => {
    const user = userOf(await signIn(person(["sre"])));
    expect(user).toMatchObject({ role: "responder", rolePinned: false, lastSignInAt: expect.any(Date) });
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.resourceId, user.id));
    expect(audit).toMatchObject({
      action: "auth.sign_in",
      actorType: "user",
      userId: user.id,
      details: { role: "responder", role_source: "claims", first_sign_in: true },
    });
  });

  it("follows the claims at each sign-in until an admin pins a role, which then wins", async () => {
    await t.db.insert(users).values({ email: "another-admin@example.com", name: "Another admin", role: "admin" });
    const who = person(["sre"]);
    const user = userOf(await signIn(who));
    expect(userOf(await signIn({ ...who, claims: { groups: ["vigil-admins"] } })).role).toBe("admin");
    await setUserRole({ ctx: ctxOf(t.db, admin), input: { id: user.id, role: "viewer" } });
    expect(userOf(await signIn({ ...who, claims: { groups: ["vigil-admins"] } })).role).toBe("viewer");
  });

  it("links a person created before their first sign-in (the demo seed, Slack) by email", async () => {
    const [seeded] = await t.db
      .insert(users)
      .values({ email: "Dora@Example.com", name: "Dora", role: "viewer" })
      .returning();
    const user = userOf(
      await signIn({
        subject: "dora-sub",
        email: "dora@example.com",
        emailVerified: true,
        name: "Dora D.",
        claims: { groups: ["sre"] },
      }),
    );
    expect(user.id).toBe(seeded!.id);
    expect(user).toMatchObject({ oidcSubject: "dora-sub", role: "responder", name: "Dora D." });
  });

  it("does not link a sign-in to an existing person by an email the identity provider has not verified", async () => {
    const [seeded] = await t.db
      .insert(users)
      .values({ email: "erin@example.com", name: "Erin", role: "admin", rolePinned: true })
      .returning();
    for (const emailVerified of [false, undefined]) {
      const result = await signIn({
        subject: `impostor-${String(emailVerified)}`,
        email: "Erin@example.com",
        emailVerified,
        name: "Not Erin",
        claims: { groups: [] },
      });
      expect(result).toEqual({ refused: expect.stringMatching(/not verified/), reason: "email_unverified" });
    }
    const [unchanged] = await t.db.select().from(users).where(eq(users.id, seeded!.id));
    expect(unchanged).toMatchObject({ oidcSubject: null, name: "Erin" });
    const refusals = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.sign_in_refused"), eq(auditLog.resourceId, seeded!.id)));
    expect(refusals.map((r) => r.details)).toEqual([
      expect.objectContaining({ reason: "email not verified" }),
      expect.objectContaining({ reason: "email not verified" }),
    ]);
  });

  it("links by an unverified email only where OIDC_TRUST_UNVERIFIED_EMAIL says the identity provider never sends the claim", async () => {
    const [seeded] = await t.db
      .insert(users)
      .values({ email: "fred@example.com", name: "Fred", role: "viewer" })
      .returning();
    const user = userOf(
      await signIn(
        {
          subject: "fred-entra",
          email: "fred@example.com",
          emailVerified: undefined,
          name: "Fred F.",
          claims: { groups: ["sre"] },
        },
        { ...settings, trustUnverifiedEmail: true },
      ),
    );
    expect(user.id).toBe(seeded!.id);
  });

  it("refuses someone matching no rule when OIDC_DEFAULT_ROLE is none, unless an admin pinned their role", async () => {
    const strict = { ...settings, defaultRole: "none" as const };
    const stranger = person(["marketing"]);
    expect(await signIn(stranger, strict)).toEqual({
      refused: expect.stringMatching(/no Vigil role/),
      reason: "no_role",
    });
    expect(await t.db.select().from(users).where(eq(users.email, stranger.email))).toEqual([]);

    const known = person(["sre"]);
    const user = userOf(await signIn(known, strict));
    await setUserRole({ ctx: ctxOf(t.db, admin), input: { id: user.id, role: "responder", role_pinned: true } });
    expect(userOf(await signIn({ ...known, claims: { groups: [] } }, strict)).role).toBe("responder");
  });
});

describe("roles and sessions", () => {
  it("pins a role with an audit row; only admins may, and the last admin cannot be demoted", async () => {
    const user = userOf(await signIn(person(["vigil-admins"])));
    const others = await t.db.select().from(users).where(eq(users.role, "admin"));
    for (const other of others.filter((o) => o.id !== user.id))
      await t.db.update(users).set({ role: "viewer" }).where(eq(users.id, other.id));

    const refused = await setUserRole({ ctx: ctxOf(t.db, responder), input: { id: user.id, role: "viewer" } }).catch(
      (e: unknown) => e,
    );
    expect((refused as AppError).code).toBe("forbidden");
    const last = await setUserRole({ ctx: ctxOf(t.db, admin), input: { id: user.id, role: "viewer" } }).catch(
      (e: unknown) => e,
    );
    expect((last as AppError).code).toBe("conflict");

    const other = userOf(await signIn(person()));
    const updated = await setUserRole({ ctx: ctxOf(t.db, admin), input: { id: other.id, role: "admin" } });
    expect(updated).toMatchObject({ role: "admin", role_pinned: true });
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.set_role"), eq(auditLog.resourceId, other.id)));
    expect(audit).toMatchObject({ actorName: "admin bot", details: { from: "viewer", to: "admin", pinned: true } });
  });

  it("keeps an admin when the last two demote each other at the same moment", async () => {
    const [first, second] = [
      userOf(await signIn(person(["vigil-admins"]))),
      userOf(await signIn(person(["vigil-admins"]))),
    ];
    await t.db
      .update(users)
      .set({ role: "viewer" })
      .where(and(eq(users.role, "admin"), notInArray(users.id, [first!.id, second!.id])));
    for (let round = 0; round < 5; round++) {
      await t.db
        .update(users)
        .set({ role: "admin" })
        .where(inArray(users.id, [first!.id, second!.id]));
      const outcomes = await Promise.allSettled(
        [first!, second!].map((u) => setUserRole({ ctx: ctxOf(t.db, admin), input: { id: u.id, role: "viewer" } })),
      );
      expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect(await t.db.select().from(users).where(eq(users.role, "admin"))).toHaveLength(1);
    }
  });

  it("reads a session from its cookie, takes the role from the database, and refuses an unknown user or a forged cookie", async () => {
    const user = userOf(await signIn(person(["sre"])));
    const headers = new Headers({ cookie: await sessionCookie(user.id) });
    const read = () => authenticateSession(t.db, headers, sessions, "198.51.100.1");
    expect(await read()).toMatchObject({ type: "user", userId: user.id, role: "responder", ip: "198.51.100.1" });
    await t.db.update(users).set({ role: "viewer" }).where(eq(users.id, user.id));
    expect((await read())?.role).toBe("viewer");
    const unknown = new Headers({ cookie: await sessionCookie(crypto.randomUUID()) });
    expect(await authenticateSession(t.db, unknown, sessions, null)).toBeNull();
    expect(
      await authenticateSession(t.db, new Headers({ cookie: "authjs.session-token=forged" }), sessions, null),
    ).toBeNull();
  });

  it("ends a session SESSION_MAX_AGE after its sign-in, however recently the cookie was re-issued", async () => {
    const user = userOf(await signIn(person(["sre"])));
    const now = new Date();
    expect(await readSession(user.id, new Date(now.getTime() - 12 * HOUR + 60_000), now)).toMatchObject({
      userId: user.id,
    });
    expect(await readSession(user.id, new Date(now.getTime() - 12 * HOUR), now)).toBeNull();
    expect(
      await authenticateSession(
        t.db,
        new Headers({ cookie: await sessionCookie(user.id) }),
        { ...sessions, maxAgeMs: 60_000 },
        null,
        new Date(now.getTime() + 61_000),
      ),
    ).toBeNull();
  });

  it("refuses a session cookie without a sign-in time (issued before sessions had an absolute lifetime)", async () => {
    const user = userOf(await signIn(person(["sre"])));
    const salt = "authjs.session-token";
    const old = await encode({ token: { uid: user.id, sub: user.id }, secret: TEST_AUTH_SECRET, salt });
    expect(await authenticateSession(t.db, new Headers({ cookie: `${salt}=${old}` }), sessions, null)).toBeNull();
  });

  it("stops accepting a token the moment it is revoked", async () => {
    const ctx = ctxOf(t.db, systemActor());
    const { id, token } = await createApiToken({ ctx, input: { name: "soon revoked", role: "responder" } });
    expect(await authenticateApiToken(t.db, token, new Date(), null)).toMatchObject({ type: "apiToken", tokenId: id });
    await revokeApiToken({ ctx, input: { id } });
    expect(await authenticateApiToken(t.db, token, new Date(), null)).toBeNull();
  });

  it("stops accepting a token at its expiry, and carries its scope into the actor", async () => {
    const now = new Date();
    const expires_at = new Date(now.getTime() + HOUR).toISOString();
    const { id, token } = await createApiToken({
      ctx: ctxOf(t.db, systemActor(), now),
      input: { name: "expiring", scope: "alerts:write", expires_at },
    });
    expect(await authenticateApiToken(t.db, token, new Date(now.getTime() + HOUR - 1000), null)).toMatchObject({
      tokenId: id,
      role: "responder",
      scope: "alerts:write",
    });
    expect(await authenticateApiToken(t.db, token, new Date(now.getTime() + HOUR), null)).toBeNull();
  });
});

describe("disabling a person", () => {
  const disable = (id: string, disabled = true, actor = admin) =>
    setUserDisabled({ ctx: ctxOf(t.db, actor), input: { id, disabled } });

  it("ends every session they hold and refuses their sign-in until an admin enables them; both audited", async () => {
    const who = person(["sre"]);
    const user = userOf(await signIn(who));
    const signedInAt = user.lastSignInAt!;
    expect(await readSession(user.id, signedInAt)).toMatchObject({ userId: user.id });

    expect(await disable(user.id)).toMatchObject({ id: user.id, disabled_at: expect.any(String) });
    expect(await readSession(user.id, signedInAt)).toBeNull();
    expect(await signIn(who)).toEqual({ refused: expect.stringMatching(/disabled/), reason: "disabled" });

    expect(await disable(user.id, false)).toMatchObject({ disabled_at: null });
    // The sessions open when they were disabled stay ended; a new sign-in works.
    expect(await readSession(user.id, signedInAt)).toBeNull();
    const again = userOf(await signIn(who));
    expect(await readSession(user.id, again.lastSignInAt!)).toMatchObject({ userId: user.id });

    const audit = await t.db.select().from(auditLog).where(eq(auditLog.resourceId, user.id));
    expect(audit.map((a) => [a.action, a.actorName])).toEqual([
      ["auth.sign_in", user.name],
      ["user.disable", "admin bot"],
      ["auth.sign_in_refused", "sign-in"],
      ["user.enable", "admin bot"],
      ["auth.sign_in", user.name],
    ]);
    expect(audit[1]!.details).toMatchObject({ email: user.email, sessions_revoked: true });
  });

  it("ends a session whose sign-in was stamped a moment after the disabling's clock reading", async () => {
    const user = userOf(await signIn(person(["sre"])));
    const later = new Date(Date.now() + 5_000);
    await t.db.update(users).set({ lastSignInAt: later }).where(eq(users.id, user.id));
    await disable(user.id);
    await disable(user.id, false);
    expect(await readSession(user.id, later, new Date(later.getTime() + 1000))).toBeNull();
  });

  it("is refused to a viewer and a responder, and changes nothing", async () => {
    const user = userOf(await signIn(person(["sre"])));
    for (const actor of [viewer, responder]) {
      const refused = await disable(user.id, true, actor).catch((e: unknown) => e);
      expect((refused as AppError).code).toBe("forbidden");
    }
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({ disabledAt: null, sessionsRevokedAt: null });
  });

  it("never disables the last admin, nor an admin themselves; a disabled admin is no admin who remains", async () => {
    const [first, second] = [
      userOf(await signIn(person(["vigil-admins"]))),
      userOf(await signIn(person(["vigil-admins"]))),
    ];
    await t.db
      .update(users)
      .set({ role: "viewer" })
      .where(and(eq(users.role, "admin"), notInArray(users.id, [first!.id, second!.id])));
    const self = {
      type: "user" as const,
      userId: first!.id,
      name: first!.name,
      email: first!.email,
      role: "admin" as const,
    };
    expect(((await disable(first!.id, true, self).catch((e: unknown) => e)) as AppError).message).toMatch(
      /cannot disable yourself/,
    );

    await disable(second!.id);
    expect(((await disable(first!.id).catch((e: unknown) => e)) as AppError).code).toBe("conflict");
    expect(
      (
        (await setUserRole({ ctx: ctxOf(t.db, admin), input: { id: first!.id, role: "viewer" } }).catch(
          (e: unknown) => e,
        )) as AppError
      ).code,
    ).toBe("conflict");
    await disable(second!.id, false);
  });

  it("takes disabled through the same update as the role (PATCH /api/v1/users/{id})", async () => {
    const user = userOf(await signIn(person(["sre"])));
    expect(await updateUser({ ctx: ctxOf(t.db, admin), input: { id: user.id, disabled: true } })).toMatchObject({
      disabled_at: expect.any(String),
    });
    expect(await updateUser({ ctx: ctxOf(t.db, admin), input: { id: user.id, disabled: false } })).toMatchObject({
      disabled_at: null,
    });
  });
});
