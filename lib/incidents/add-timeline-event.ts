import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { type VerbArgs, inTransaction } from "../context";
import { parseInput } from "../input";
import { toTimelineEventDto } from "./incident-dto";
import { appendTimelineEvent, findIncident } from "./incident-store";
import { formatIncidentRef } from "./ref";
import { AddTimelineEventInput, type TimelineEvent } from "./schemas";

/** A responder's note on the timeline: what they saw, tried or decided. */
export async function addTimelineEvent({ ctx, input }: VerbArgs<AddTimelineEventInput>): Promise<TimelineEvent> {
  authorize(ctx.actor, "incident.add_timeline_event");
  const { ref, text } = parseInput(AddTimelineEventInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const row = await findIncident(txCtx.db, ref);
    const event = await appendTimelineEvent(txCtx, row.id, { kind: "note", text });
    await recordAudit(txCtx, {
      action: "incident.add_timeline_event",
      resourceType: "incident",
      resourceId: row.id,
      details: { ref: formatIncidentRef(row.number), kind: "note", event_id: event.id },
    });
    return toTimelineEventDto(event);
  });
}
