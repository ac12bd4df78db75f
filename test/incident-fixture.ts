// An incident as the API shows it, for pure tests of what is built from one (cards, messages).
import type { Incident } from "@/lib/incidents/schemas";

export function sampleIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: "6f9619ff-8b86-4011-b42d-00cf4fc964ff",
    ref: "INC-7",
    number: 7,
    title: "Checkout 5xx above 5%",
    description: null,
    severity: "P1",
    status: "open",
    service: "checkout",
    team: "payments",
    owner: null,
    group_key: null,
    labels: {},
    runbook_url: "http://localhost:3000/runbooks/high-error-rate",
    detected_at: "2026-11-28T06:21:44.000Z",
    created_at: "2026-11-28T06:22:00.000Z",
    updated_at: "2026-11-28T06:22:00.000Z",
    acknowledged_at: null,
    resolved_at: null,
    resolution_note: null,
    auto_resolved: false,
    reopened_count: 0,
    false_positive: false,
    false_positive_reason: null,
    exclude_from_metrics: false,
    ...overrides,
  };
}
