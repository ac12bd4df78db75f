// Starts an incident's escalation when it opens or reopens (or a maintenance window stops holding it):
// its policy is chosen (integration, routing rule, default), the run is recorded, and step 1 pages at
// once. No policy: nothing happens. One running escalation per incident (a unique index).
import { and, eq } from "drizzle-orm";
import { escalations, type EscalationRow, type IncidentRow } from "@/db/schema";
import { systemActor, type Ctx } from "../context";
import { appendTimelineEvent } from "../incidents/incident-store";
import { mutingWindows, recordMuted } from "../maintenance/muting";
import { urgencyOf } from "../oncall/contact-methods";
import type { NotificationSettings } from "../notifications/settings";
import { choosePolicyFor, type PolicyChoice } from "./policy-of";
import { ENGINE_ACTOR, runStep } from "./run-step";

export async function activeEscalation(ctx: Ctx, incidentId: string): Promise<EscalationRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(escalations)
    .where(and(eq(escalations.incidentId, incidentId), eq(escalations.state, "active")));
  return row;
}

/**
 * With the incident's escalation lock held. `choice` names the policy (a reassignment); otherwise the
 * incident's own is chosen with `settings` (the routing file). Returns the run, or null when none started.
 */
export async function startEscalation(
  ctx: Ctx,
  incident: IncidentRow,
  settings: Pick<NotificationSettings, "routing" | "channels"> | null,
  choice?: PolicyChoice,
): Promise<EscalationRow | null> {
  const engine: Ctx = { db: ctx.db, actor: systemActor(ENGINE_ACTOR), now: ctx.now };
  if (incident.status !== "open" || (await activeEscalation(ctx, incident.id))) return null;
  const chosen = choice ?? (settings ? await choosePolicyFor(ctx.db, incident, settings) : null);
  if (!chosen) return null;
  if ("missing" in chosen) {
    await appendTimelineEvent(engine, incident.id, {
      kind: "escalation",
      text: `Nobody paged: escalation policy “${chosen.missing}” (${chosen.why}) does not exist`,
      data: { missing_policy: chosen.missing },
    });
    return null;
  }
  const muting = await mutingWindows(ctx.db, incident, ctx.now);
  if (muting.length > 0) {
    // The `muted` event says until when; the window's end (`unmuted`) starts the escalation then.
    await recordMuted(ctx.db, incident.id, muting, ctx.now);
    return null;
  }
  const [run] = await ctx.db
    .insert(escalations)
    .values({
      incidentId: incident.id,
      policyId: chosen.adhoc ? null : chosen.policy.id,
      policyName: chosen.policy.name,
      policySource: chosen.source,
      adhocPolicy: chosen.adhoc ? { repeat: chosen.policy.repeat, steps: chosen.policy.steps } : null,
      urgency: urgencyOf(incident.severity),
      nextStepAt: ctx.now,
      startedAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning();
  if (!run) return null;
  await appendTimelineEvent(engine, incident.id, {
    kind: "escalation",
    text: `Escalation started: “${chosen.policy.name}” (${chosen.why}), ${run.urgency} urgency`,
    data: { escalation_id: run.id, policy: chosen.policy.name, source: chosen.source },
  });
  return runStep(ctx, run, incident);
}
