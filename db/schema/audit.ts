// Who did what to which resource, from where. Written in the same transaction as the change it
// records, and append-only (a trigger refuses UPDATE and DELETE).
import { bigserial, index, inet, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    timestamp: timestamp({ withTimezone: true }).notNull(),
    // No cascade: the log is append-only, so a person with history is never deleted (deactivate instead).
    userId: uuid().references(() => users.id),
    actorType: text().notNull(),
    actorId: text(),
    actorName: text().notNull(),
    action: text().notNull(),
    resourceType: text().notNull(),
    resourceId: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    ipAddress: inet(),
  },
  (t) => [
    index("audit_log_timestamp_idx").on(t.timestamp),
    index("audit_log_resource_idx").on(t.resourceType, t.resourceId),
    index("audit_log_action_idx").on(t.action),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
