import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { authenticateSession, sessionSettingsFrom } from "@/lib/auth/session";
import type { Actor, Ctx } from "@/lib/context";
import { asAppError } from "@/lib/errors";
import { clientIp } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";

export type UserActor = Extract<Actor, { type: "user" }>;

/**
 * The signed-in person and the context pages read with, once per request. The proxy already sent
 * anonymous browsers to sign in; this also catches a session whose person is gone, disabled or signed
 * out everywhere.
 */
export const pageContext = cache(async (): Promise<Ctx & { actor: UserActor }> => {
  const { config, database } = getRuntime();
  const requestHeaders = await headers();
  const ip = clientIp(new Request("http://localhost/", { headers: requestHeaders }));
  const sessions = sessionSettingsFrom(config);
  const now = new Date();
  const actor = sessions ? await authenticateSession(database.db, requestHeaders, sessions, ip, now) : null;
  if (actor?.type !== "user") redirect("/sign-in");
  return { db: database.db, actor, now };
});

/**
 * A read the page's filters drive: its refusal (a filter the verb refuses, a value PostgreSQL cannot take)
 * comes back as `problem`, which the page shows beside its filters; anything else (a bug, an outage) is
 * the error page's.
 */
export async function readFiltered<T>(
  read: Promise<T>,
): Promise<{ value: T; problem: null } | { value: null; problem: string }> {
  try {
    return { value: await read, problem: null };
  } catch (error) {
    const refused = asAppError(error);
    if (!refused) throw error;
    return { value: null, problem: refused.message };
  }
}
