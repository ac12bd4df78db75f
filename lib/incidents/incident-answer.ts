// Incidents read straight into the API's shape, for the hot reads (the list, the incident page): only the
// columns the answer shows, its owner joined, timestamps written by PostgreSQL in toISOString()'s format,
// and one object made per row (not a row, then drizzle's object, then the DTO: bench/README.md, "Issue 22, goal 1").
import { sql, type SQL } from "drizzle-orm";
import { PgDialect, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { incidents, users } from "@/db/schema";
import { formatIncidentRef } from "./ref";
import type { Incident } from "./schemas";

/** Milliseconds, truncated as a JavaScript Date truncates PostgreSQL's microseconds. */
const iso = (column: AnyPgColumn) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// The answer's columns around its owner, shared by both forms below.
const beforeOwner = sql`${incidents.title}, ${incidents.description}, ${incidents.severity}, ${incidents.status},
  ${incidents.service}, ${incidents.team}`;
const afterOwner = sql`${incidents.groupKey}, ${incidents.labels}, ${incidents.runbookUrl},
  ${iso(incidents.detectedAt)} as detected_at, ${iso(incidents.createdAt)} as created_at,
  ${iso(incidents.updatedAt)} as updated_at, ${iso(incidents.acknowledgedAt)} as acknowledged_at,
  ${iso(incidents.resolvedAt)} as resolved_at, ${incidents.resolutionNote}, ${incidents.autoResolved},
  ${incidents.reopenedCount}, ${incidents.falsePositive}, ${incidents.falsePositiveReason}, ${incidents.excludeFromMetrics}`;
const fromIncidentsAndOwners = sql`from ${incidents} left join ${users} on ${users.id} = ${incidents.ownerId}`;
const rendered = (statement: SQL) => sql.raw(new PgDialect({ casing: "snake_case" }).sqlToQuery(statement).sql);

/**
 * `select … from incidents left join users …`: add the where, order and limit. Rendered to text once, as
 * drizzle would otherwise walk its 40 pieces again for every request.
 */
export const selectIncidentAnswers = rendered(
  sql`select ${incidents.id}, ${incidents.number}, ${beforeOwner},
    ${users.id} as owner_id, ${users.name} as owner_name, ${users.email} as owner_email,
    ${afterOwner} ${fromIncidentsAndOwners}`,
);

/**
 * The same answers with the answer's own columns (`ref`, `owner` as JSON), for PostgreSQL to write as JSON:
 * `with page as (select …`: add the where, order and limit, and `)`. The columns are toAnswer's keys, in
 * its order.
 */
export const selectIncidentAnswerJson = rendered(
  sql`with page as (select ${incidents.id}, 'INC-' || ${incidents.number} as ref, ${incidents.number}, ${beforeOwner},
    case when ${users.id} is null then null
         else json_build_object('id', ${users.id}, 'name', ${users.name}, 'email', ${users.email}) end as owner,
    ${afterOwner} ${fromIncidentsAndOwners}`,
);

type IncidentAnswerRow = {
  id: string;
  number: number;
  title: string;
  description: string | null;
  severity: Incident["severity"];
  status: Incident["status"];
  service: string | null;
  team: string | null;
  owner_id: string | null;
  owner_name: string;
  owner_email: string;
  group_key: string | null;
  labels: Record<string, string>;
  runbook_url: string | null;
  detected_at: string | null;
  created_at: string;
  updated_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  resolution_note: string | null;
  auto_resolved: boolean;
  reopened_count: number;
  false_positive: boolean;
  false_positive_reason: string | null;
  exclude_from_metrics: boolean;
};

/** Runs a statement built on `selectIncidentAnswers`; the rows come as the API shows them. */
export async function readIncidentAnswers(db: DbOrTx, statement: SQL): Promise<Incident[]> {
  const rows = await db.execute<IncidentAnswerRow>(statement);
  const answers: Incident[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) answers[i] = toAnswer(rows[i]!);
  return answers;
}

// The same keys in the same order as toIncidentDto, so the JSON is byte for byte the same.
const toAnswer = (r: IncidentAnswerRow): Incident => ({
  id: r.id,
  ref: formatIncidentRef(r.number),
  number: r.number,
  title: r.title,
  description: r.description,
  severity: r.severity,
  status: r.status,
  service: r.service,
  team: r.team,
  owner: r.owner_id ? { id: r.owner_id, name: r.owner_name, email: r.owner_email } : null,
  group_key: r.group_key,
  labels: r.labels,
  runbook_url: r.runbook_url,
  detected_at: r.detected_at,
  created_at: r.created_at,
  updated_at: r.updated_at,
  acknowledged_at: r.acknowledged_at,
  resolved_at: r.resolved_at,
  resolution_note: r.resolution_note,
  auto_resolved: r.auto_resolved,
  reopened_count: r.reopened_count,
  false_positive: r.false_positive,
  false_positive_reason: r.false_positive_reason,
  exclude_from_metrics: r.exclude_from_metrics,
});
