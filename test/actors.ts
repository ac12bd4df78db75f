// Actors for tests: one per role, plus helpers to build a verb context at a chosen time.
import type { Actor, Ctx } from "@/lib/context";
import type { DbOrTx } from "@/db/client";

export const viewer: Actor = {
  type: "apiToken",
  tokenId: "00000000-0000-4000-8000-000000000001",
  name: "viewer bot",
  role: "viewer",
  scope: "full",
  ip: "203.0.113.7",
};
export const responder: Actor = {
  type: "apiToken",
  tokenId: "00000000-0000-4000-8000-000000000002",
  name: "responder bot",
  role: "responder",
  scope: "full",
  ip: "203.0.113.8",
};
export const admin: Actor = {
  type: "apiToken",
  tokenId: "00000000-0000-4000-8000-000000000003",
  name: "admin bot",
  role: "admin",
  scope: "full",
  ip: "203.0.113.9",
};

export function ctxOf(db: DbOrTx, actor: Actor = responder, now = new Date()): Ctx {
  return { db, actor, now };
}
