import type { Ctx } from "@/lib/context";
import { getRuntime } from "@/lib/runtime";

/**
 * The context pages read with. Until browser sign-in lands (issue 4), pages read as an anonymous viewer:
 * they can show incidents but no verb will let this actor change anything.
 */
export function pageContext(): Ctx {
  return { db: getRuntime().database.db, actor: { type: "system", name: "anonymous viewer", role: "viewer" }, now: new Date() };
}
