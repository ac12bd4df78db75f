// On-call: people's contact methods and notification rules, schedules (layers, overrides), escalation
// policies, and the secret calendar feeds. Who is on call is computed (lib/oncall/on-call-at.ts), not stored.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./users";

// The shapes of the jsonb columns, declared here because db/ never imports lib/: lib/oncall/on-call-at.ts
// (Restriction) and lib/oncall/escalation-policy.ts (EscalationStep, checked against its zod schema) use them.

/** A window when a layer may put someone on call: weekdays (0 = Monday) and a wall-clock time span. */
export interface StoredRestriction {
  days: number[];
  /** "HH:MM" in the schedule's zone. */
  start: string;
  /** "HH:MM"; at or before `start` means the window runs past midnight into the next day. */
  end: string;
}

export type StoredStepTarget =
  | { type: "user"; user_id: string }
  | { type: "schedule"; schedule_id: string }
  | { type: "slack_channel"; channel: string };

export interface StoredEscalationStep {
  delay_minutes: number;
  targets: StoredStepTarget[];
  delivery: "everyone" | "round_robin";
}

export const contactMethodKindEnum = pgEnum("contact_method_kind", ["email", "sms", "slack", "voice"]);
export const urgencyEnum = pgEnum("urgency", ["high", "low"]);

export const contactMethods = pgTable(
  "contact_methods",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: contactMethodKindEnum().notNull(),
    value: text().notNull(),
    label: text().notNull().default(""),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("contact_methods_user_kind_value_key").on(t.userId, t.kind, t.value)],
);
export type ContactMethodRow = typeof contactMethods.$inferSelect;

export const notificationRules = pgTable(
  "notification_rules",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    contactMethodId: uuid()
      .notNull()
      .references(() => contactMethods.id, { onDelete: "cascade" }),
    urgency: urgencyEnum().notNull(),
    delayMinutes: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("notification_rules_once_key").on(t.userId, t.urgency, t.contactMethodId, t.delayMinutes),
    check("notification_rules_delay", sql`${t.delayMinutes} between 0 and 1440`),
  ],
);
export type NotificationRuleRow = typeof notificationRules.$inferSelect;

export const schedules = pgTable(
  "schedules",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    description: text().notNull().default(""),
    team: text(),
    timeZone: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("schedules_name_lower_key").on(sql`lower(${t.name})`)],
);
export type ScheduleRow = typeof schedules.$inferSelect;

export const intervalUnitEnum = pgEnum("interval_unit", ["hours", "days", "weeks"]);

export const scheduleLayers = pgTable(
  "schedule_layers",
  {
    id: uuid().primaryKey().defaultRandom(),
    scheduleId: uuid()
      .notNull()
      .references(() => schedules.id, { onDelete: "cascade" }),
    // Bottom to top: a higher position wins wherever it has someone.
    position: integer().notNull(),
    name: text().notNull(),
    // Local date-time in the schedule's zone ("2026-03-02T09:00"): kept as wall time so handoffs stay put.
    anchor: text().notNull(),
    intervalUnit: intervalUnitEnum().notNull(),
    intervalCount: integer().notNull(),
    // User ids in rotation order (checked against users when saved).
    participants: jsonb().$type<string[]>().notNull().default([]),
    restrictions: jsonb().$type<StoredRestriction[]>().notNull().default([]),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("schedule_layers_schedule_idx").on(t.scheduleId, t.position),
    check("schedule_layers_interval", sql`${t.intervalCount} >= 1`),
  ],
);
export type ScheduleLayerRow = typeof scheduleLayers.$inferSelect;

export const overrideKindEnum = pgEnum("override_kind", ["replace", "add"]);

export const scheduleOverrides = pgTable(
  "schedule_overrides",
  {
    id: uuid().primaryKey().defaultRandom(),
    // Overrides apply in this order: a later one can override an earlier one.
    seq: bigserial({ mode: "number" }).notNull(),
    scheduleId: uuid()
      .notNull()
      .references(() => schedules.id, { onDelete: "cascade" }),
    kind: overrideKindEnum().notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    // replace: the person replaced; null replaces whoever is on call.
    replacesUserId: uuid().references(() => users.id),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    createdById: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("schedule_overrides_range_idx").on(t.scheduleId, t.endsAt),
    check("schedule_overrides_range", sql`${t.endsAt} > ${t.startsAt}`),
  ],
);
export type ScheduleOverrideRow = typeof scheduleOverrides.$inferSelect;

/**
 * One row, counting the committed changes to schedules, their layers and overrides: triggers bump it in
 * the writing transaction (migration 0025), so a process may keep loaded schedules for as long as the
 * count it read with them is still the count (lib/oncall/schedule-cache.ts).
 */
export const scheduleGeneration = pgTable(
  "schedule_generation",
  {
    id: boolean().primaryKey().default(true),
    generation: bigint({ mode: "number" }).notNull().default(0),
  },
  (t) => [check("schedule_generation_one_row", sql`${t.id}`)],
);

export const escalationPolicies = pgTable(
  "escalation_policies",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    description: text().notNull().default(""),
    team: text(),
    repeat: integer().notNull().default(0),
    isDefault: boolean().notNull().default(false),
    steps: jsonb().$type<StoredEscalationStep[]>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("escalation_policies_name_lower_key").on(sql`lower(${t.name})`),
    // At most one default policy.
    uniqueIndex("escalation_policies_one_default")
      .on(t.isDefault)
      .where(sql`${t.isDefault}`),
    check("escalation_policies_repeat", sql`${t.repeat} between 0 and 9`),
  ],
);
export type EscalationPolicyRow = typeof escalationPolicies.$inferSelect;

export const calendarFeedKindEnum = pgEnum("calendar_feed_kind", ["user", "schedule"]);

/** A secret iCal URL: only a SHA-256 of its token is stored; revoking stops it at once. */
export const calendarFeeds = pgTable(
  "calendar_feeds",
  {
    id: uuid().primaryKey().defaultRandom(),
    tokenHash: text().notNull().unique(),
    kind: calendarFeedKindEnum().notNull(),
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    scheduleId: uuid().references(() => schedules.id, { onDelete: "cascade" }),
    createdById: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check(
      "calendar_feeds_subject",
      sql`(${t.kind} = 'user' and ${t.userId} is not null) or (${t.kind} = 'schedule' and ${t.scheduleId} is not null)`,
    ),
  ],
);
export type CalendarFeedRow = typeof calendarFeeds.$inferSelect;

/**
 * A reminder sent to the person whose shift starts soon, written once per (schedule, person, shift start)
 * so the sweep that finds upcoming shifts can run on every worker and after a restart without repeating.
 */
export const handoffReminders = pgTable(
  "handoff_reminders",
  {
    id: uuid().primaryKey().defaultRandom(),
    scheduleId: uuid()
      .notNull()
      .references(() => schedules.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    shiftStart: timestamp({ withTimezone: true }).notNull(),
    shiftEnd: timestamp({ withTimezone: true }).notNull(),
    /** The methods it went out by, or why it could not ("no contact method", "SMTP_URL is not set"). */
    outcome: text(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("handoff_reminders_once_key").on(t.scheduleId, t.userId, t.shiftStart)],
);
export type HandoffReminderRow = typeof handoffReminders.$inferSelect;
