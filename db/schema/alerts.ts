// Alerts as Alertmanager sends them, one row per (incident, fingerprint): the same alert firing again
// for a later incident gets a row of its own, so every incident keeps its own evidence.
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { incidents } from "./incidents";

export const alertStatusEnum = pgEnum("alert_status", ["firing", "resolved"]);

export const alerts = pgTable(
  "alerts",
  {
    id: uuid().primaryKey().defaultRandom(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    fingerprint: text().notNull(),
    status: alertStatusEnum().notNull(),
    labels: jsonb().$type<Record<string, string>>().notNull(),
    annotations: jsonb().$type<Record<string, string>>().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }),
    generatorUrl: text(),
    firstReceivedAt: timestamp({ withTimezone: true }).notNull(),
    lastReceivedAt: timestamp({ withTimezone: true }).notNull(),
    receiveCount: integer().notNull().default(1),
  },
  (t) => [
    uniqueIndex("alerts_incident_fingerprint_key").on(t.incidentId, t.fingerprint),
    index("alerts_fingerprint_idx").on(t.fingerprint),
  ],
);

export type AlertRow = typeof alerts.$inferSelect;
