// Derived data for analytics: the alertname rollup a database trigger keeps (migrations 0008 and 0027; nothing in the
// application writes it, and it can be rebuilt from alerts at any time), the answers kept for a while, and
// the alert receipts per day that the deduplication figure counts.
import {
  bigint,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { incidents } from "./incidents";

/**
 * One row per incident and alertname: how many of the incident's alerts carry that alertname. Alert noise
 * over a range reads these (~1 per incident) instead of every alert and its labels. The incident's
 * creation time is copied in so a range is one index scan; its flags are joined at read time, because
 * responders change them later.
 */
export const incidentAlertnames = pgTable(
  "incident_alertnames",
  {
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    /** The alerts' `alertname` label; '' for alerts without one. */
    alertname: text().notNull(),
    incidentCreatedAt: timestamp({ withTimezone: true }).notNull(),
    alerts: integer().notNull(),
    /** The Prometheus link of the latest such alert that had one. */
    generatorUrl: text(),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.alertname] }),
    // A range in index order comes grouped by incident, so alerts per incident need no sort or hash.
    index("incident_alertnames_range_idx").on(t.incidentCreatedAt, t.incidentId, t.alertname, t.alerts),
    index("incident_alertnames_alertname_idx").on(t.alertname, t.incidentCreatedAt),
  ],
);

export type IncidentAlertnameRow = typeof incidentAlertnames.$inferSelect;

/**
 * Analytics answers kept for ANALYTICS_CACHE_TTL and shared by every web replica (lib/analytics/answer-store.ts).
 * One row per verb and parsed input; the worker recomputes the ones asked for lately before they go stale,
 * so a page's rolling range ("the last 90 days") is answered from here, at most a TTL old.
 */
export const analyticsAnswers = pgTable(
  "analytics_answers",
  {
    /** The verb's name and its parsed input, keys in a fixed order: `summary {"group_by":"team","range":"90d"}`. */
    key: text().primaryKey(),
    verb: text().notNull(),
    input: jsonb().notNull(),
    answer: jsonb().notNull(),
    /** The `now` the answer was computed for: a rolling range ends there. */
    computedAt: timestamp({ withTimezone: true }).notNull(),
    /** When someone last asked (updated at most every half TTL): the worker refreshes recent ones only. */
    requestedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("analytics_answers_requested_at_idx").on(t.requestedAt)],
);

export type AnalyticsAnswerRow = typeof analyticsAnswers.$inferSelect;

/**
 * Alert copies received, per UTC day and the alerts' service and team labels ('' when an alert has none):
 * every alert of every delivery counts, re-sends and retries included, incremented in the ingestion's
 * own transaction. Against the notifications sent, it is the deduplication figure (docs/analytics.md).
 * A day's count for a service and team is the sum over its shards (lib/alerts/alert-receipts.ts).
 */
export const alertReceipts = pgTable(
  "alert_receipts",
  {
    day: date({ mode: "string" }).notNull(),
    service: text().notNull(),
    team: text().notNull(),
    /** Which of the count's rows this is: concurrent deliveries add to different rows. */
    shard: smallint().notNull().default(0),
    received: bigint({ mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.service, t.team, t.shard] })],
);

export type AlertReceiptRow = typeof alertReceipts.$inferSelect;
