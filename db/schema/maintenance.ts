// Maintenance windows and snoozes: while one is active, incidents it matches still open and update but
// page nobody and start no automatic remediation. A snooze is a window on one alert group.
import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { incidents } from "./incidents";
import { users } from "./users";

export const maintenanceWindows = pgTable(
  "maintenance_windows",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** `window`: a matcher on service / team / labels; `snooze`: one alert group, made from an incident. */
    kind: text().$type<"window" | "snooze">().notNull(),
    name: text().notNull(),
    reason: text().notNull(),
    // Equality matchers; every one that is set must hold (a window sets at least one).
    service: text(),
    team: text(),
    labels: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** A snooze's alert group (the incident's group key). */
    groupKey: text(),
    /** The incident a snooze was made from (for its link); null for windows. */
    incidentId: uuid().references(() => incidents.id, { onDelete: "set null" }),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    createdByName: text().notNull(),
    createdByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    /** Set when someone ended it before its planned end (endsAt then holds when it ended). */
    endedEarlyAt: timestamp({ withTimezone: true }),
    endedEarlyBy: text(),
    /** Deleted windows stay for the incidents that name them; lists leave them out. */
    deletedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("maintenance_windows_active_idx")
      .on(t.endsAt)
      .where(sql`${t.deletedAt} is null`),
    check("maintenance_windows_ends_after_start", sql`${t.endsAt} >= ${t.startsAt}`),
  ],
);

/** The incidents a window held back, so its end job knows whom to page then (`releasedAt`: done). */
export const mutedIncidents = pgTable(
  "muted_incidents",
  {
    windowId: uuid()
      .notNull()
      .references(() => maintenanceWindows.id, { onDelete: "cascade" }),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    mutedAt: timestamp({ withTimezone: true }).notNull(),
    releasedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.windowId, t.incidentId] }), index("muted_incidents_incident_idx").on(t.incidentId)],
);

export type MaintenanceWindowRow = typeof maintenanceWindows.$inferSelect;
