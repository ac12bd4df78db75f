// The engine's side of the timeline: an incident that opens, reopens or is no longer held starts its
// escalation; one acknowledged, resolved or moved on by hand stops it; a severity change re-rates its
// urgency (the steps still to run page by the new urgency's rules; pages already written keep theirs).
import { eq } from "drizzle-orm";
import { escalations, incidents, type TimelineEventRow } from "@/db/schema";
import { inTransaction, systemActor, type Ctx } from "../context";
import { appendTimelineEvent, readEventLockingIncident } from "../incidents/incident-store";
import { advisoryLocks } from "@/db/advisory-locks";
import { urgencyOf } from "../oncall/contact-methods";
import type { NotificationSettings } from "../notifications/settings";
import { startKinds, stopKinds, urgencyKinds } from "./job-names";
import { ENGINE_ACTOR } from "./run-step";
import { activeEscalation, startEscalation } from "./start";
import { stopEscalation } from "./stop";

export async function followEvent(
  ctx: Ctx,
  eventId: number,
  settings: Pick<NotificationSettings, "routing" | "channels">,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const event = await readEventLockingIncident(tx.db, eventId, advisoryLocks.escalation);
    if (!event) return;
    const [incident] = await tx.db.select().from(incidents).where(eq(incidents.id, event.incidentId));
    if (!incident) return;
    const engine: Ctx = { ...tx, actor: systemActor(ENGINE_ACTOR) };
    // The incident as it is now decides: a stale `created` job for an incident acknowledged since starts nothing.
    if (startKinds.has(event.kind) && incident.status === "open") await startEscalation(engine, incident, settings);
    else if (stopKinds.has(event.kind) && incident.status !== "open")
      await stopEscalation(engine, incident.id, event.kind, `Escalation stopped: ${stopReason(event)}`);
    else if (urgencyKinds.has(event.kind)) {
      const run = await activeEscalation(tx, incident.id);
      const urgency = urgencyOf(incident.severity);
      if (!run || run.urgency === urgency) return;
      await tx.db.update(escalations).set({ urgency }).where(eq(escalations.id, run.id));
      await appendTimelineEvent(engine, incident.id, {
        kind: "escalation",
        text: `Urgency now ${urgency} (${incident.severity}): the next steps page by ${urgency}-urgency rules`,
        data: { escalation_id: run.id, urgency },
      });
    }
  });
}

/** "acknowledged by Bob from Slack", "acknowledged by Bob via email link", "resolved by Alice in Vigil". */
export function stopReason(event: Pick<TimelineEventRow, "kind" | "actorType" | "actorName" | "data">): string {
  const data = (event.data ?? {}) as { via?: unknown; to?: unknown; automatic?: unknown };
  const door =
    typeof data.via === "string"
      ? ` via ${data.via}`
      : (({ slack: " from Slack", user: " in Vigil", apiToken: " through the API" } as Record<string, string>)[
          event.actorType
        ] ?? "");
  if (event.kind === "resolved" && data.automatic) return "resolved (all alerts resolved)";
  const what =
    event.kind === "status_changed" ? `marked ${typeof data.to === "string" ? data.to : "changed"}` : event.kind;
  return `${what} by ${event.actorName}${door}`;
}
