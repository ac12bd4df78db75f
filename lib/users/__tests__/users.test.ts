import { and, eq, inArray, notInArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, users } from "@/db/schema";
import { authenticateApiToken, createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { parseRoleMap } from "@/lib/auth/role-mapping";
import { authenticateSession } from "@/lib/auth/session";
import { systemActor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { admin, ctxOf, responder } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { sessionCookie, TEST_AUTH_SECRET } from "@/test/runtime";
import { setUserRole } from "../manage-users";
import { recordSignIn, type SignInInput, type SignInSettings } from "../record-sign-in";

const t = useTestDatabase();
const settings: SignInSettings = { rolesClaim: "groups", roleMap: parseRoleMap("vigil-admins=admin,sre=responder"), defaultRole: "viewer", trustUnverifiedEmail: false };
let n = 0;
const person = (groups: string[] = []) => {
  n++;
  return { subject: `sub-${n}`, email: `person${n}@example.com`, emailVerified: true, name: `Person ${n}`, claims: { groups } };
};
const signIn = (input: SignInInput, s = settings) => recordSignIn(ctxOf(t.db, systemActor("sign-in")), input, s);
const userOf = (result: Awaited<ReturnType<typeof recordSignIn>>) => {
  if ("refused" in result) throw new Error(result.refused);
  return result.user;
};

describe("signing in", () => {
  it("creates the user with the role their groups map to, and audits the sign-in as them", async () => {
    const user = userOf(await signIn(person(["sre"])));
    expect(user).toMatchObject({ role: "responder", rolePinned: false, lastSignInAt: expect.any(Date) });
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.resourceId, user.id));
    expect(audit).toMatchObject({ action: "auth.sign_in", actorType: "user", userId: user.id, details: { role: "responder", role_source: "claims", first_sign_in: true } });
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
    const [seeded] = await t.db.insert(users).values({ email: "Dora@Example.com", name: "Dora", role: "viewer" }).returning();
    const user = userOf(await signIn({ subject: "dora-sub", email: "dora@example.com", emailVerified: true, name: "Dora D.", claims: { groups: ["sre"] } }));
    expect(user.id).toBe(seeded!.id);
    expect(user).toMatchObject({ oidcSubject: "dora-sub", role: "responder", name: "Dora D." });
  });

  it("does not link a sign-in to an existing person by an email the identity provider has not verified", async () => {
    const [seeded] = await t.db.insert(users).values({ email: "erin@example.com", name: "Erin", role: "admin", rolePinned: true }).returning();
    for (const emailVerified of [false, undefined]) {
      const result = await signIn({ subject: `impostor-${String(emailVerified)}`, email: "Erin@example.com", emailVerified, name: "Not Erin", claims: { groups: [] } });
      expect(result).toEqual({ refused: expect.stringMatching(/not verified/), reason: "email_unverified" });
    }
    const [unchanged] = await t.db.select().from(users).where(eq(users.id, seeded!.id));
    expect(unchanged).toMatchObject({ oidcSubject: null, name: "Erin" });
    const refusals = await t.db.select().from(auditLog).where(and(eq(auditLog.action, "auth.sign_in_refused"), eq(auditLog.resourceId, seeded!.id)));
    expect(refusals.map((r) => r.details)).toEqual([expect.objectContaining({ reason: "email not verified" }), expect.objectContaining({ reason: "email not verified" })]);
  });

  it("links by an unverified email only where OIDC_TRUST_UNVERIFIED_EMAIL says the identity provider never sends the claim", async () => {
    const [seeded] = await t.db.insert(users).values({ email: "fred@example.com", name: "Fred", role: "viewer" }).returning();
    const user = userOf(await signIn({ subject: "fred-entra", email: "fred@example.com", emailVerified: undefined, name: "Fred F.", claims: { groups: ["sre"] } }, { ...settings, trustUnverifiedEmail: true }));
    expect(user.id).toBe(seeded!.id);
  });

  it("refuses someone matching no rule when OIDC_DEFAULT_ROLE is none, unless an admin pinned their role", async () => {
    const strict = { ...settings, defaultRole: "none" as const };
    const stranger = person(["marketing"]);
    expect(await signIn(stranger, strict)).toEqual({ refused: expect.stringMatching(/no Vigil role/), reason: "no_role" });
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
    for (const other of others.filter((o) => o.id !== user.id)) await t.db.update(users).set({ role: "viewer" }).where(eq(users.id, other.id));

    const refused = await setUserRole({ ctx: ctxOf(t.db, responder), input: { id: user.id, role: "viewer" } }).catch((e: unknown) => e);
    expect((refused as AppError).code).toBe("forbidden");
    const last = await setUserRole({ ctx: ctxOf(t.db, admin), input: { id: user.id, role: "viewer" } }).catch((e: unknown) => e);
    expect((last as AppError).code).toBe("conflict");

    const other = userOf(await signIn(person()));
    const updated = await setUserRole({ ctx: ctxOf(t.db, admin), input: { id: other.id, role: "admin" } });
    expect(updated).toMatchObject({ role: "admin", role_pinned: true });
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, "user.set_role"), eq(auditLog.resourceId, other.id)));
    expect(audit).toMatchObject({ actorName: "admin bot", details: { from: "viewer", to: "admin", pinned: true } });
  });

  it("keeps an admin when the last two demote each other at the same moment", async () => {
    const [first, second] = [userOf(await signIn(person(["vigil-admins"]))), userOf(await signIn(person(["vigil-admins"])))];
    await t.db.update(users).set({ role: "viewer" }).where(and(eq(users.role, "admin"), notInArray(users.id, [first!.id, second!.id])));
    for (let round = 0; round < 5; round++) {
      await t.db.update(users).set({ role: "admin" }).where(inArray(users.id, [first!.id, second!.id]));
      const outcomes = await Promise.allSettled([first!, second!].map((u) => setUserRole({ ctx: ctxOf(t.db, admin), input: { id: u.id, role: "viewer" } })));
      expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect(await t.db.select().from(users).where(eq(users.role, "admin"))).toHaveLength(1);
    }
  });

  it("reads a session from its cookie, takes the role from the database, and refuses an unknown user or a forged cookie", async () => {
    const user = userOf(await signIn(person(["sre"])));
    const headers = new Headers({ cookie: await sessionCookie(user.id) });
    const read = () => authenticateSession(t.db, headers, { secret: TEST_AUTH_SECRET, secureCookie: false }, "198.51.100.1");
    expect(await read()).toMatchObject({ type: "user", userId: user.id, role: "responder", ip: "198.51.100.1" });
    await t.db.update(users).set({ role: "viewer" }).where(eq(users.id, user.id));
    expect((await read())?.role).toBe("viewer");
    const unknown = new Headers({ cookie: await sessionCookie(crypto.randomUUID()) });
    expect(await authenticateSession(t.db, unknown, { secret: TEST_AUTH_SECRET, secureCookie: false }, null)).toBeNull();
    expect(await authenticateSession(t.db, new Headers({ cookie: "authjs.session-token=forged" }), { secret: TEST_AUTH_SECRET, secureCookie: false }, null)).toBeNull();
  });

  it("stops accepting a token the moment it is revoked", async () => {
    const ctx = ctxOf(t.db, systemActor());
    const { id, token } = await createApiToken({ ctx, input: { name: "soon revoked", role: "responder" } });
    expect(await authenticateApiToken(t.db, token, new Date(), null)).toMatchObject({ type: "apiToken", tokenId: id });
    await revokeApiToken({ ctx, input: { id } });
    expect(await authenticateApiToken(t.db, token, new Date(), null)).toBeNull();
  });
});
