// Alert sources as objects: one row per sender (an Alertmanager, a Grafana, a tool speaking PagerDuty's or
// Opsgenie's API, a plain webhook, a heartbeat). Its secret is an API token with scope alerts:write
// (api_tokens: hashed, rotatable, revocable), so there is one credential model for every door.
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { apiTokens } from "./api-tokens";
import { severityEnum } from "./incidents";
import { users } from "./users";

export const integrationKindEnum = pgEnum("integration_kind", [
  "alertmanager",
  "pagerduty",
  "grafana",
  "opsgenie",
  "webhook",
  "heartbeat",
]);

/** Per-kind options (lib/intake/integration-settings.ts parses them). */
export type IntegrationOptions = Record<string, unknown>;

export const integrations = pgTable(
  "integrations",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: integrationKindEnum().notNull(),
    name: text().notNull(),
    defaultService: text(),
    defaultTeam: text(),
    defaultSeverity: severityEnum(),
    /** Which escalation policy its incidents feed (by name; the on-call engine reads it). */
    escalationPolicy: text(),
    options: jsonb().$type<IntegrationOptions>().notNull().default({}),
    /** The live secret; rotation points this at a new token and revokes the old one. */
    tokenId: uuid()
      .notNull()
      .unique()
      .references(() => apiTokens.id),
    createdById: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
    /** Heartbeats: the last ping. */
    lastPingAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("integrations_kind_idx").on(t.kind)],
);

export type IntegrationRow = typeof integrations.$inferSelect;

/**
 * What each integration received and what Vigil did with it, for "why didn't it page?". Rows older than
 * a day and a half beyond the newest 50 are pruned as new ones arrive.
 */
export const integrationEvents = pgTable(
  "integration_events",
  {
    id: uuid().primaryKey().defaultRandom(),
    integrationId: uuid()
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    /** What the sender asked: trigger, acknowledge, resolve, close, ping, ... */
    action: text().notNull(),
    /** The HTTP status answered. */
    status: integer().notNull(),
    /** What Vigil did, in words: "opened INC-12", "refused: payload.summary is missing". */
    outcome: text().notNull(),
    incidentsOpened: integer().notNull().default(0),
    /** The body as received, secrets redacted, cut when large. */
    payload: jsonb().$type<unknown>(),
  },
  (t) => [index("integration_events_recent_idx").on(t.integrationId, t.receivedAt.desc())],
);

export type IntegrationEventRow = typeof integrationEvents.$inferSelect;
