// What every verb receives: the database (or an open transaction), who is acting, and the time.
import type { DbOrTx } from "@/db/client";
import type { Role } from "./auth/roles";
import type { TokenScope } from "./auth/token-scopes";

interface ActorBase {
  role: Role;
  /** The client's IP address, for the audit log; absent for internal actors. */
  ip?: string | null;
  /**
   * How the person reached Vigil when not through its pages, API or Slack: "email link", "SMS reply",
   * "voice call". Recorded in the data of the events and audit rows they write (the escalation engine
   * says "acknowledged by Bob via email link" from it).
   */
  via?: string;
}

export type Actor =
  | (ActorBase & { type: "user"; userId: string; name: string; email: string })
  | (ActorBase & { type: "apiToken"; tokenId: string; name: string; scope: TokenScope })
  | (ActorBase & { type: "slack"; userId: string; name: string; slackUserId: string })
  | (ActorBase & { type: "webhook"; source: string; name: string })
  | (ActorBase & { type: "system"; name: string });

export interface Ctx {
  db: DbOrTx;
  actor: Actor;
  now: Date;
}

declare const untrustedBrand: unique symbol;
/** Input straight from a door (a request body, a Slack payload). The verb's own zod schema checks it. */
export type Untrusted = { readonly [untrustedBrand]: true };
export const untrusted = (value: unknown) => value as Untrusted;

export interface VerbArgs<I> {
  ctx: Ctx;
  input: I | Untrusted;
}

/**
 * Runs `body` in one transaction with a context whose `db` IS that transaction, so nothing inside a verb
 * can reach the pool by mistake. Inside an open transaction it nests (a savepoint), as drizzle does.
 */
export function inTransaction<T>(ctx: Ctx, body: (txCtx: Ctx) => Promise<T>): Promise<T> {
  return ctx.db.transaction((tx) => body({ ...ctx, db: tx }));
}

export const systemActor = (name = "Vigil"): Actor => ({ type: "system", name, role: "admin" });

/** The stable identity recorded with timeline and audit rows. */
export function describeActor(actor: Actor): {
  type: Actor["type"];
  id: string | null;
  name: string;
  userId: string | null;
} {
  switch (actor.type) {
    case "user":
      return { type: "user", id: actor.userId, name: actor.name, userId: actor.userId };
    case "slack":
      return { type: "slack", id: actor.slackUserId, name: actor.name, userId: actor.userId };
    case "apiToken":
      return { type: "apiToken", id: actor.tokenId, name: actor.name, userId: null };
    case "webhook":
      return { type: "webhook", id: actor.source, name: actor.name, userId: null };
    case "system":
      return { type: "system", id: null, name: actor.name, userId: null };
  }
}
