// The dev inbox (`npm start` without vendor settings): every email, SMS, voice call and Slack message
// Vigil sends lands here instead of at a vendor, so a newcomer can watch a page arrive at /dev/inbox.
import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const devInboxMessages = pgTable(
  "dev_inbox_messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    channel: text().$type<"email" | "sms" | "voice" | "slack">().notNull(),
    /** An address, a phone number or a Slack channel. */
    recipient: text().notNull(),
    subject: text(),
    body: text().notNull(),
    /** The INC-<n> the message names, for the link to it. */
    incidentNumber: integer(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** What the sender sent, as received (form fields, the parsed mail's headers). */
    raw: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index("dev_inbox_messages_received_idx").on(t.receivedAt),
    check("dev_inbox_messages_channel", sql`${t.channel} in ('email', 'sms', 'voice', 'slack')`),
  ],
);
export type DevInboxMessageRow = typeof devInboxMessages.$inferSelect;
