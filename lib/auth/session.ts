// Browser sessions: Auth.js keeps an encrypted JWT in a cookie. The doors read it here (framework-free,
// with @auth/core) and then load the person from the database, so a role change or removal takes effect
// on the very next request rather than when the cookie expires.
import { getToken } from "@auth/core/jwt";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor } from "../context";

export interface SessionSettings {
  secret: string;
  /** https deployments use the __Secure- cookie name. */
  secureCookie: boolean;
}

export async function authenticateSession(db: DbOrTx, headers: Headers, settings: SessionSettings, ip: string | null): Promise<Actor | null> {
  if (!headers.get("cookie")?.includes("authjs.session-token")) return null;
  const token = await getToken({ req: { headers }, secret: settings.secret, secureCookie: settings.secureCookie });
  const userId = typeof token?.uid === "string" ? token.uid : null;
  if (!userId) return null;
  const [user] = await db.select({ id: users.id, name: users.name, email: users.email, role: users.role }).from(users).where(eq(users.id, userId));
  if (!user) return null;
  return { type: "user", userId: user.id, name: user.name, email: user.email, role: user.role, ip };
}
