// Row -> wire shape. Dates become ISO strings; the owner comes joined.
import type { IncidentRow, TimelineEventRow, UserRow } from "@/db/schema";
import { formatIncidentRef } from "./ref";
import type { Incident, TimelineEvent } from "./schemas";

type OwnerRow = Pick<UserRow, "id" | "name" | "email">;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toIncidentDto(row: IncidentRow, owner: OwnerRow | null): Incident {
  return {
    id: row.id,
    ref: formatIncidentRef(row.number),
    number: row.number,
    title: row.title,
    description: row.description,
    severity: row.severity,
    status: row.status,
    service: row.service,
    team: row.team,
    owner: owner ? { id: owner.id, name: owner.name, email: owner.email } : null,
    group_key: row.groupKey,
    labels: row.labels,
    runbook_url: row.runbookUrl,
    detected_at: row.detectedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    acknowledged_at: iso(row.acknowledgedAt),
    resolved_at: iso(row.resolvedAt),
    resolution_note: row.resolutionNote,
    auto_resolved: row.autoResolved,
    reopened_count: row.reopenedCount,
    false_positive: row.falsePositive,
    false_positive_reason: row.falsePositiveReason,
    exclude_from_metrics: row.excludeFromMetrics,
  };
}

export function toTimelineEventDto(row: TimelineEventRow): TimelineEvent {
  return {
    id: row.id,
    incident_id: row.incidentId,
    at: row.at.toISOString(),
    kind: row.kind,
    actor: { type: row.actorType, id: row.actorId, name: row.actorName },
    text: row.text,
    data: row.data,
  };
}
