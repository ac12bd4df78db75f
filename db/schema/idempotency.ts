// Responses remembered per (caller, Idempotency-Key), so a retried POST returns the first answer.
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    callerId: text().notNull(),
    key: text().notNull(),
    // Hash of method, path and body: the same key with a different request is a conflict.
    requestHash: text().notNull(),
    responseStatus: integer(),
    responseBody: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.callerId, t.key] })],
);
