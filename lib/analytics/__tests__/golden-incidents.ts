// The golden fixture: incidents with known timestamps in the week of 2026-11-01 (UTC), made through the
// same verbs people use, plus alerts and notifications written as the pipeline would. The figures they
// must give are worked out by hand in golden-figures.test.ts.
import type { Database } from "@/db/client";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { createIncident } from "@/lib/incidents/create-incident";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import type { Severity } from "@/lib/incidents/schemas";
import { updateIncident } from "@/lib/incidents/update-incident";
import { ctxOf, responder } from "@/test/actors";
import type { TestDatabase } from "@/test/database";

export const goldenRange = { from: "2026-11-01T00:00:00Z", to: "2026-11-08T00:00:00Z" };

interface GoldenIncident {
  name: string;
  severity: Severity;
  service: string;
  team: string;
  detected: string;
  created: string;
  acknowledged?: string;
  resolved?: string;
  falsePositive?: boolean;
  excluded?: boolean;
}

/** MTTD / MTTA / MTTR of each, in seconds: A 60/120/1800, B 30/300/3600, C 0/60/open, D 120/unack/600, E 0/unack/open, F 600/600/3600. */
export const goldenIncidents: GoldenIncident[] = [
  {
    name: "A",
    severity: "P1",
    service: "checkout",
    team: "payments",
    detected: "2026-11-02T10:00:00Z",
    created: "2026-11-02T10:01:00Z",
    acknowledged: "2026-11-02T10:03:00Z",
    resolved: "2026-11-02T10:31:00Z",
  },
  {
    name: "B",
    severity: "P1",
    service: "checkout",
    team: "payments",
    detected: "2026-11-02T12:00:00Z",
    created: "2026-11-02T12:00:30Z",
    acknowledged: "2026-11-02T12:05:30Z",
    resolved: "2026-11-02T13:00:30Z",
  },
  // Acknowledged, still being worked on: in MTTA, counted as open for MTTR.
  {
    name: "C",
    severity: "P1",
    service: "checkout",
    team: "payments",
    detected: "2026-11-04T09:00:00Z",
    created: "2026-11-04T09:00:00Z",
    acknowledged: "2026-11-04T09:01:00Z",
  },
  // Resolved without anyone acknowledging it: in MTTR, counted as unacknowledged for MTTA.
  {
    name: "D",
    severity: "P2",
    service: "search",
    team: "discovery",
    detected: "2026-11-03T08:00:00Z",
    created: "2026-11-03T08:02:00Z",
    resolved: "2026-11-03T08:12:00Z",
  },
  // Open and unacknowledged.
  {
    name: "E",
    severity: "P2",
    service: "search",
    team: "discovery",
    detected: "2026-11-05T14:00:00Z",
    created: "2026-11-05T14:00:00Z",
  },
  // A false positive: counts in MTTx like any other, and in the noise figures.
  {
    name: "F",
    severity: "P2",
    service: "search",
    team: "discovery",
    detected: "2026-11-05T06:00:00Z",
    created: "2026-11-05T06:10:00Z",
    acknowledged: "2026-11-05T06:20:00Z",
    resolved: "2026-11-05T07:10:00Z",
    falsePositive: true,
  },
  // A drill, excluded from metrics: in no figure at all.
  {
    name: "G",
    severity: "P3",
    service: "checkout",
    team: "payments",
    detected: "2026-11-03T10:00:00Z",
    created: "2026-11-03T10:00:00Z",
    acknowledged: "2026-11-03T10:00:10Z",
    resolved: "2026-11-03T10:00:20Z",
    excluded: true,
  },
  // Outside the half-open range: a minute before it, and exactly at its end.
  {
    name: "H",
    severity: "P3",
    service: "checkout",
    team: "payments",
    detected: "2026-10-31T23:59:00Z",
    created: "2026-10-31T23:59:00Z",
    acknowledged: "2026-11-01T00:05:00Z",
    resolved: "2026-11-01T00:10:00Z",
  },
  {
    name: "I",
    severity: "P3",
    service: "checkout",
    team: "payments",
    detected: "2026-11-08T00:00:00Z",
    created: "2026-11-08T00:00:00Z",
  },
];

/** Creates the fixture; returns each incident's id and number by name. */
export async function createGoldenIncidents(db: Database): Promise<Record<string, { id: string; number: number }>> {
  const made: Record<string, { id: string; number: number }> = {};
  for (const g of goldenIncidents) {
    const at = (iso: string) => ctxOf(db, responder, new Date(iso));
    const { incident } = await createIncident({
      ctx: at(g.created),
      input: {
        title: `Golden ${g.name}`,
        severity: g.severity,
        service: g.service,
        team: g.team,
        detected_at: g.detected,
      },
    });
    if (g.acknowledged) await acknowledgeIncident({ ctx: at(g.acknowledged), input: { ref: incident.ref } });
    if (g.resolved) await resolveIncident({ ctx: at(g.resolved), input: { ref: incident.ref } });
    if (g.falsePositive || g.excluded) {
      await updateIncident({
        ctx: at(g.resolved ?? g.created),
        input: {
          ref: incident.ref,
          ...(g.falsePositive ? { false_positive: true, false_positive_reason: "threshold too tight" } : {}),
          ...(g.excluded ? { exclude_from_metrics: true } : {}),
        },
      });
    }
    made[g.name] = { id: incident.id, number: incident.number };
  }
  return made;
}

/**
 * Alerts as ingestion records them (one row per incident and fingerprint), and a flapping alert group:
 * A and B share group g1, A reopened twice (2 incidents + 2 reopenings = 4 cycles); D alone in g2.
 */
export async function addGoldenAlerts(t: TestDatabase, ids: Record<string, { id: string }>): Promise<void> {
  const alertsOf: [incident: string, alertname: string, count: number][] = [
    ["A", "HighErrorRate", 2],
    ["B", "HighErrorRate", 1],
    ["B", "HighLatency", 1],
    ["D", "HighLatency", 1],
    ["F", "DiskFull", 3],
    ["G", "HighErrorRate", 5],
  ];
  for (const [name, alertname, count] of alertsOf) {
    for (let i = 0; i < count; i++) {
      await t.sql`insert into alerts (incident_id, fingerprint, status, labels, annotations, starts_at, generator_url, first_received_at, last_received_at)
        select id, ${`${name}-${alertname}-${i}`}, 'firing', ${JSON.stringify({ alertname, instance: `pod-${i}` })}, '{}', created_at,
               ${`http://prometheus:9090/graph?g0.expr=${alertname}`}, created_at, created_at
        from incidents where id = ${ids[name]!.id}`;
    }
  }
  await t.sql`update incidents set group_key = 'g1', reopened_count = 2 where id = ${ids.A!.id}`;
  await t.sql`update incidents set group_key = 'g1' where id = ${ids.B!.id}`;
  await t.sql`update incidents set group_key = 'g2' where id = ${ids.D!.id}`;
}

/** The delivery log: A paged (failed after 8 attempts) and posted to Slack; the drill G emailed; H's Slack post before the range. */
export async function addGoldenNotifications(t: TestDatabase, ids: Record<string, { id: string }>): Promise<void> {
  const rows: [incident: string, channel: string, status: string, attempts: number, at: string][] = [
    ["A", "pagerduty", "failed", 8, "2026-11-02T10:01:05Z"],
    ["A", "slack", "sent", 1, "2026-11-02T10:01:02Z"],
    ["G", "email", "sent", 1, "2026-11-03T10:00:05Z"],
    ["H", "slack", "sent", 1, "2026-10-31T23:59:05Z"],
  ];
  for (const [i, [name, channel, status, attempts, at]] of rows.entries()) {
    await t.sql`insert into notifications (incident_id, timeline_event_id, purpose, channel, target, status, attempts, max_attempts, created_at, updated_at)
      values (${ids[name]!.id}, ${900_000 + i}, 'open', ${channel}, 'default', ${status}, ${attempts}, 8, ${at}, ${at})`;
  }
}
