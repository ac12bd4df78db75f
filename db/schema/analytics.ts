// Derived data for analytics. A database trigger on alerts keeps it (see migration 0008): nothing in the
// application writes it, and it can be rebuilt from alerts at any time.
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
