// People who sign in (OIDC) or act through Slack; their role decides what they may do.
import { sql } from "drizzle-orm";
import { boolean, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["viewer", "responder", "admin"]);

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    oidcSubject: text().unique(),
    email: text().notNull(),
    name: text().notNull(),
    role: roleEnum().notNull().default("viewer"),
    // A pinned role was set by an admin and wins over the identity provider's claims.
    rolePinned: boolean().notNull().default(false),
    slackUserId: text().unique(),
    lastSignInAt: timestamp({ withTimezone: true }),
    // Set by an admin: the person may not sign in or act (in the app, the API or Slack) until re-enabled.
    disabledAt: timestamp({ withTimezone: true }),
    // Sessions signed in at or before this are refused ("sign out everywhere"); re-enabling keeps it.
    sessionsRevokedAt: timestamp({ withTimezone: true }),
    // IANA zone the person lives in (on-call views, nights interrupted); null: not said yet.
    timeZone: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`)],
);

export type UserRow = typeof users.$inferSelect;
