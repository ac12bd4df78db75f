// Incidents: the unit people respond to. Numbers come from an identity sequence and show as INC-<n>.
import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./users";

export const severityEnum = pgEnum("incident_severity", ["P0", "P1", "P2", "P3", "P4"]);
export const incidentStatusEnum = pgEnum("incident_status", ["open", "acknowledged", "investigating", "resolved"]);

export const incidents = pgTable(
  "incidents",
  {
    id: uuid().primaryKey().defaultRandom(),
    number: integer().notNull().unique().generatedAlwaysAsIdentity(),
    title: text().notNull(),
    description: text(),
    severity: severityEnum().notNull(),
    status: incidentStatusEnum().notNull().default("open"),
    service: text(),
    team: text(),
    ownerId: uuid().references(() => users.id, { onDelete: "set null" }),
    // Alertmanager's groupKey for incidents made from alerts; null for declared ones.
    groupKey: text(),
    labels: jsonb().$type<Record<string, string>>().notNull().default({}),
    // When the problem started (the first alert's startsAt); null when nobody knows (declared without it).
    detectedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
    acknowledgedAt: timestamp({ withTimezone: true }),
    resolvedAt: timestamp({ withTimezone: true }),
    resolutionNote: text(),
    // True when the incident resolved because all its alerts resolved (not by a person): only such an
    // incident reopens when its alert group fires again within REOPEN_WINDOW.
    autoResolved: boolean().notNull().default(false),
    runbookUrl: text(),
    /** PagerDuty's own id for the incident it made from our trigger, learnt from its webhooks. */
    pagerdutyIncidentId: text(),
    reopenedCount: integer().notNull().default(0),
    falsePositive: boolean().notNull().default(false),
    falsePositiveReason: text(),
    /** Drills and tests: kept out of MTTx and noise figures. */
    excludeFromMetrics: boolean().notNull().default(false),
    /** The incident's own Slack channel (#inc-123-…), when one was created for it. */
    slackChannelId: text(),
  },
  (t) => [
    // At most one unresolved incident per alert group: concurrent webhooks cannot create twins.
    uniqueIndex("incidents_open_group_key_key")
      .on(t.groupKey)
      .where(sql`${t.status} <> 'resolved' and ${t.groupKey} is not null`),
    index("incidents_status_number_idx").on(t.status, t.number.desc()),
    index("incidents_severity_number_idx").on(t.severity, t.number.desc()),
    // The board and the default listing read unresolved incidents, newest first or most severe first: a
    // few rows among a history of resolved ones. With status as a key column, the board's counts per
    // severity are an index-only scan (bench/README.md, "Issue 22, goal 1": at 1M incidents, 995 ms -> 0.5 ms, 298 -> 29 ms).
    // Ascending: read backwards it is `number desc` (nulls first), as the list orders; drizzle writes a
    // descending key as `desc nulls last`, which that order cannot use.
    index("incidents_unresolved_number_idx")
      .on(t.number)
      .where(sql`${t.status} <> 'resolved'`),
    index("incidents_unresolved_severity_number_idx")
      .on(t.severity, t.number, t.status)
      .where(sql`${t.status} <> 'resolved'`),
    index("incidents_created_at_idx").on(t.createdAt),
    index("incidents_group_key_idx").on(t.groupKey, t.createdAt.desc()),
    index("incidents_service_idx").on(t.service),
    index("incidents_team_idx").on(t.team),
    index("incidents_owner_idx").on(t.ownerId),
    // Analytics (lib/analytics): index-only scans over a time range of counted incidents, carrying every
    // column the duration and noise figures read, so a 90-day range never touches the table itself.
    index("incidents_analytics_idx")
      .on(t.createdAt, t.severity, t.service, t.team, t.detectedAt, t.acknowledgedAt, t.resolvedAt, t.falsePositive)
      .where(sql`not ${t.excludeFromMetrics}`),
    index("incidents_flapping_idx")
      .on(t.createdAt, t.groupKey, t.reopenedCount, t.number)
      .where(sql`not ${t.excludeFromMetrics} and ${t.groupKey} is not null`),
    // Small sets joined against: drills and tests (left out of analytics), and false positives (also the
    // /metrics gauge, by severity and service).
    index("incidents_excluded_idx")
      .on(t.id)
      .where(sql`${t.excludeFromMetrics}`),
    index("incidents_false_positive_idx")
      .on(t.severity, t.service, t.id)
      .where(sql`${t.falsePositive} and not ${t.excludeFromMetrics}`),
  ],
);

export type IncidentRow = typeof incidents.$inferSelect;
