// API tokens for automation (Alertmanager, scripts, CI). Only a SHA-256 of the secret is stored.
import { index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { roleEnum, users } from "./users";

// What a token may be used for within its role (lib/auth/token-scopes.ts): `full` is everything the role
// allows; `alerts:write` only sends alerts to the ingestion doors.
export const apiTokenScopeEnum = pgEnum("api_token_scope", ["full", "alerts:write"]);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    tokenHash: text().notNull().unique(),
    // The first characters of the token, safe to show so people can tell tokens apart.
    displayPrefix: text().notNull(),
    role: roleEnum().notNull(),
    scope: apiTokenScopeEnum().notNull().default("full"),
    createdById: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    // Past this the token is refused like a revoked one; null: it does not expire.
    expiresAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("api_tokens_created_at_idx").on(t.createdAt)],
);

export type ApiTokenRow = typeof apiTokens.$inferSelect;
