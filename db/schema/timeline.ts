// The incident timeline: what happened, when, and who did it. Append-only (a trigger refuses changes).
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { incidents } from "./incidents";

export const timelineEvents = pgTable(
  "timeline_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    at: timestamp({ withTimezone: true }).notNull(),
    kind: text().notNull(),
    actorType: text().notNull(),
    actorId: text(),
    actorName: text().notNull(),
    text: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("timeline_events_incident_at_idx").on(t.incidentId, t.at, t.id)],
);

export type TimelineEventRow = typeof timelineEvents.$inferSelect;
