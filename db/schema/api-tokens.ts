// API tokens for automation (Alertmanager, scripts, CI). Only a SHA-256 of the secret is stored.
import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { roleEnum, users } from "./users";

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    tokenHash: text().notNull().unique(),
    // The first characters of the token, safe to show so people can tell tokens apart.
    displayPrefix: text().notNull(),
    role: roleEnum().notNull(),
    createdById: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("api_tokens_created_at_idx").on(t.createdAt)],
);

export type ApiTokenRow = typeof apiTokens.$inferSelect;
