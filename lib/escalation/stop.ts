// Ends an escalation run: an acknowledgement, a resolve, a reassignment, a hold, or the policy running
// out. A stopped run's pending pages are cancelled (its in-flight ones finish); its step job is removed.
import { and, eq, sql } from "drizzle-orm";
import { escalations, pages, type EscalationRow } from "@/db/schema";
import type { Ctx } from "../context";
import { appendTimelineEvent } from "../incidents/incident-store";
import { stepJobKey } from "./job-names";

export async function endEscalation(
  ctx: Ctx,
  escalation: Pick<EscalationRow, "id" | "incidentId">,
  state: "stopped" | "exhausted",
  reason: string,
  text: string,
): Promise<boolean> {
  const ended = await ctx.db
    .update(escalations)
    .set({ state, endedAt: ctx.now, endedReason: reason, nextStepAt: null })
    .where(and(eq(escalations.id, escalation.id), eq(escalations.state, "active")))
    .returning({ id: escalations.id });
  if (ended.length === 0) return false;
  if (state === "stopped")
    await ctx.db
      .update(pages)
      .set({ status: "cancelled", leaseUntil: null })
      .where(and(eq(pages.escalationId, escalation.id), eq(pages.status, "pending")));
  await ctx.db.execute(sql`select graphile_worker.remove_job(${stepJobKey(escalation.id)})`);
  await appendTimelineEvent(ctx, escalation.incidentId, {
    kind: "escalation",
    text,
    data: { escalation_id: escalation.id, state, reason },
  });
  return true;
}

/**
 * Stops the incident's running escalation, if any, and cancels every pending page of the incident (those
 * of earlier runs too): once acknowledged, nobody's phone rings for it again.
 */
export async function stopEscalation(ctx: Ctx, incidentId: string, reason: string, text: string): Promise<boolean> {
  const [active] = await ctx.db
    .select()
    .from(escalations)
    .where(and(eq(escalations.incidentId, incidentId), eq(escalations.state, "active")));
  const stopped = active ? await endEscalation(ctx, active, "stopped", reason, text) : false;
  await ctx.db
    .update(pages)
    .set({ status: "cancelled", leaseUntil: null })
    .where(and(eq(pages.incidentId, incidentId), eq(pages.status, "pending")));
  return stopped;
}
