// The escalation engine's record (lib/escalation): which policy an incident follows and where it stands,
// every page to a person (one row per incident run, step, pass, person, contact method and rule delay,
// so a retried job cannot page twice), and the signed one-time acknowledge links sent in pages.
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { incidents } from "./incidents";
import {
  contactMethodKindEnum,
  contactMethods,
  escalationPolicies,
  schedules,
  urgencyEnum,
  type StoredEscalationStep,
} from "./oncall";
import { users } from "./users";

export const escalationStateEnum = pgEnum("escalation_state", [
  // Stepping through the policy.
  "active",
  // Stopped by an acknowledgement, a resolve, or a person (who and why are on the timeline).
  "stopped",
  // Every step of every pass ran and nobody acknowledged.
  "exhausted",
]);

/** One run of a policy for an incident; an incident that reopens starts a new run. */
export const escalations = pgTable(
  "escalations",
  {
    id: uuid().primaryKey().defaultRandom(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    policyId: uuid().references(() => escalationPolicies.id, { onDelete: "set null" }),
    /** As chosen, kept when the policy is later renamed or deleted. */
    policyName: text().notNull(),
    /** Why this policy: integration, routing or default (lib/oncall/escalation-policy.ts choosePolicy). */
    policySource: text().notNull(),
    /** A run that follows no stored policy (reassigned to a person): its own steps and repeats. */
    adhocPolicy: jsonb().$type<{ repeat: number; steps: StoredEscalationStep[] }>(),
    urgency: urgencyEnum().notNull(),
    state: escalationStateEnum().notNull().default("active"),
    /** The step that runs next (or is running) and which pass of the policy it is (0 = first run). */
    step: integer().notNull().default(0),
    pass: integer().notNull().default(0),
    /** When the next step is due; null once the run is over. */
    nextStepAt: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    endedReason: text(),
  },
  (t) => [
    // At most one running escalation per incident: a duplicated "opened" job cannot start a second.
    uniqueIndex("escalations_one_active_key")
      .on(t.incidentId)
      .where(sql`${t.state} = 'active'`),
    index("escalations_incident_idx").on(t.incidentId, t.startedAt),
  ],
);
export type EscalationRow = typeof escalations.$inferSelect;

export const pageStatusEnum = pgEnum("page_status", ["pending", "sending", "sent", "failed", "cancelled"]);

/**
 * One message to one person through one contact method (or one post to a step's Slack channel, with no
 * person). Written once per (escalation, step, pass, person, method, rule delay); the send claims it.
 */
export const pages = pgTable(
  "pages",
  {
    id: uuid().primaryKey().defaultRandom(),
    escalationId: uuid()
      .notNull()
      .references(() => escalations.id, { onDelete: "cascade" }),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    step: integer().notNull(),
    pass: integer().notNull(),
    /** Null for a step's Slack channel post. */
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    /** The schedule that put the person on call; null when the step names them directly. */
    scheduleId: uuid().references(() => schedules.id, { onDelete: "set null" }),
    contactMethodId: uuid().references(() => contactMethods.id, { onDelete: "set null" }),
    method: contactMethodKindEnum().notNull(),
    /** The address as it was when paged: an email, an E.164 number, a Slack user or channel id. */
    address: text().notNull(),
    /** The person's notification rule delay (minutes after the step) this page follows. */
    ruleDelayMinutes: integer().notNull().default(0),
    status: pageStatusEnum().notNull().default("pending"),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    attempts: integer().notNull().default(0),
    /** While `sending`, the attempt owns the row until then; a crashed attempt's lease runs out. */
    leaseUntil: timestamp({ withTimezone: true }),
    sentAt: timestamp({ withTimezone: true }),
    /** The vendor's id (SMS or call sid, email Message-ID, Slack ts). */
    externalId: text(),
    /** When several incidents' pages went out as one message: the page whose message carried this one. */
    bundledIntoId: uuid(),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    unique("pages_once_key")
      .on(t.escalationId, t.step, t.pass, t.userId, t.method, t.address, t.ruleDelayMinutes)
      .nullsNotDistinct(),
    // The sender's question: this person's pages through this method that are due.
    index("pages_due_idx")
      .on(t.userId, t.method, t.dueAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index("pages_incident_idx").on(t.incidentId, t.createdAt),
    // Analytics: pages per person per week, nights interrupted.
    index("pages_sent_idx")
      .on(t.sentAt, t.userId)
      .where(sql`${t.status} = 'sent'`),
  ],
);
export type PageRow = typeof pages.$inferSelect;

/**
 * A signed one-time acknowledge link (email and SMS) or voice "press 1" callback: only a SHA-256 of its
 * token is stored. Opening the link shows a confirm page; only the POST from that page acknowledges, as
 * the person it was sent to. SMS replies find the newest unused link sent to the replying number.
 */
export const ackLinks = pgTable(
  "ack_links",
  {
    id: uuid().primaryKey().defaultRandom(),
    tokenHash: text().notNull().unique(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    pageId: uuid().references(() => pages.id, { onDelete: "set null" }),
    method: contactMethodKindEnum().notNull(),
    address: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("ack_links_address_idx").on(t.method, t.address, t.createdAt)],
);
export type AckLinkRow = typeof ackLinks.$inferSelect;
