// Browser sessions: Auth.js keeps an encrypted JWT in a cookie. The doors read it here (framework-free,
// with @auth/core) and then load the person from the database, so a role change, a disabled person or
// "sign out everywhere" takes effect on the very next request rather than when the cookie expires.
//
// A session ends SESSION_MAX_AGE after its sign-in, however busy: Auth.js re-issues the cookie with a fresh
// expiry on every GET /api/auth/session, so the cookie's own expiry bounds nothing. The sign-in time rides
// in the JWT (`signedInAt`) and every reader — this one, the proxy, Auth.js's jwt callback — refuses the
// session after it.
import { getToken } from "@auth/core/jwt";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users, type UserRow } from "@/db/schema";
import type { Actor } from "../context";
import type { Config } from "../env";
import type { Role } from "./roles";

declare module "@auth/core/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    /** When the person signed in (ms since the epoch): the session ends SESSION_MAX_AGE after it. */
    signedInAt?: number;
  }
}

export interface SessionSettings {
  secret: string;
  /** https deployments use the __Secure- cookie name. */
  secureCookie: boolean;
  /** SESSION_MAX_AGE: how long after sign-in a session ends. */
  maxAgeMs: number;
}

/** The session settings, or null when there is no AUTH_SECRET (then nobody has a session). */
export function sessionSettingsFrom(config: Config): SessionSettings | null {
  if (!config.auth.secret) return null;
  return {
    secret: config.auth.secret,
    secureCookie: config.appUrl.startsWith("https:"),
    maxAgeMs: config.auth.sessionMaxAgeMs,
  };
}

export interface SessionClaims {
  uid?: unknown;
  signedInAt?: unknown;
}

/**
 * The user id and sign-in time of a session that has not outlived SESSION_MAX_AGE, else null. A session
 * without a sign-in time (issued before this rule) counts as ended: its person signs in again once.
 */
export function liveSession(
  claims: SessionClaims | null | undefined,
  now: Date,
  maxAgeMs: number,
): { userId: string; signedInAt: number } | null {
  if (typeof claims?.uid !== "string" || typeof claims.signedInAt !== "number") return null;
  if (now.getTime() >= claims.signedInAt + maxAgeMs) return null;
  return { userId: claims.uid, signedInAt: claims.signedInAt };
}

/** Seconds a session cookie minted now may live: never past SESSION_MAX_AGE after its sign-in. */
export function sessionCookieMaxAge(claims: SessionClaims | null | undefined, now: Date, maxAgeMs: number): number {
  const signedInAt = typeof claims?.signedInAt === "number" ? claims.signedInAt : now.getTime();
  return Math.max(0, Math.floor((signedInAt + maxAgeMs - now.getTime()) / 1000));
}

/** Whether the person may still use a session they signed in to at `signedInAt`. */
export function personAllowsSession(
  user: Pick<UserRow, "disabledAt" | "sessionsRevokedAt">,
  signedInAt: number,
): boolean {
  if (user.disabledAt) return false;
  return !user.sessionsRevokedAt || signedInAt > user.sessionsRevokedAt.getTime();
}

/** The person behind a live session, read afresh, or null (ended, unknown, disabled, signed out everywhere). */
export async function sessionPerson(
  db: DbOrTx,
  claims: SessionClaims | null | undefined,
  now: Date,
  maxAgeMs: number,
): Promise<UserRow | null> {
  const session = liveSession(claims, now, maxAgeMs);
  if (!session) return null;
  const [user] = await db.select().from(users).where(eq(users.id, session.userId));
  return user && personAllowsSession(user, session.signedInAt) ? user : null;
}

export async function authenticateSession(
  db: DbOrTx,
  headers: Headers,
  settings: SessionSettings,
  ip: string | null,
  now = new Date(),
): Promise<Actor | null> {
  if (!headers.get("cookie")?.includes("authjs.session-token")) return null;
  const token = await getToken({ req: { headers }, secret: settings.secret, secureCookie: settings.secureCookie });
  const user = await sessionPerson(db, token, now, settings.maxAgeMs);
  if (!user) return null;
  return { type: "user", userId: user.id, name: user.name, email: user.email, role: user.role, ip };
}
