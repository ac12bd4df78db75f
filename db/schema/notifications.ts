// The delivery log: one row per message to one channel and target, with its attempts and outcome.
import {
  boolean,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  bigint,
} from "drizzle-orm/pg-core";
import { incidents } from "./incidents";

export const notificationChannelEnum = pgEnum("notification_channel", ["pagerduty", "slack", "email", "sms"]);
export const notificationStatusEnum = pgEnum("notification_status", ["pending", "sending", "sent", "failed"]);

export const notifications = pgTable(
  "notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    /** The timeline event this message tells about (incident opened, acknowledged, a note, …). */
    timelineEventId: bigint({ mode: "number" }).notNull(),
    /** What the message does: open (first page / card), update (ack, resolve, notes), fallback. */
    purpose: text().notNull(),
    channel: notificationChannelEnum().notNull(),
    target: text().notNull(),
    rule: text(),
    isFallback: boolean().notNull().default(false),
    status: notificationStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull(),
    lastError: text(),
    /** The vendor's id for what was sent: PagerDuty dedup key, Slack message ts, email Message-ID, SMS sid. */
    externalId: text(),
    /** While `sending`, the attempt owns the row until then; a crashed attempt's lease runs out. */
    leaseUntil: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_event_channel_target_key").on(t.timelineEventId, t.channel, t.target, t.purpose),
    index("notifications_incident_idx").on(t.incidentId, t.createdAt),
    // Analytics: volume and failures per channel over a time range, by an index-only scan.
    index("notifications_created_at_idx").on(t.createdAt, t.channel, t.status, t.isFallback, t.attempts, t.incidentId),
  ],
);

export type NotificationRow = typeof notifications.$inferSelect;
