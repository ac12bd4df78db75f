// Postmortems: one per incident, a markdown document people edit (draft -> in review -> published),
// with every saved revision kept; and its action items, which can become Jira or GitHub issues.
// `generatedMarkdown` is what the last generation produced: regenerating compares against it, so only
// the parts nobody has edited are refreshed.
import {
  bigserial,
  date,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  index,
} from "drizzle-orm/pg-core";
import { incidents } from "./incidents";
import { users } from "./users";

export const postmortemStatusEnum = pgEnum("postmortem_status", ["draft", "in_review", "published"]);
export const actionItemStatusEnum = pgEnum("action_item_status", ["open", "in_progress", "done"]);

export const postmortems = pgTable("postmortems", {
  id: uuid().primaryKey().defaultRandom(),
  incidentId: uuid()
    .notNull()
    .unique()
    .references(() => incidents.id, { onDelete: "cascade" }),
  status: postmortemStatusEnum().notNull().default("draft"),
  markdown: text().notNull(),
  generatedMarkdown: text().notNull(),
  generatedAt: timestamp({ withTimezone: true }).notNull(),
  /** Bumped by every save: an edit based on an older version is refused rather than lost. */
  version: integer().notNull().default(1),
  createdAt: timestamp({ withTimezone: true }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
  updatedByName: text(),
  publishedAt: timestamp({ withTimezone: true }),
});

export const postmortemRevisions = pgTable(
  "postmortem_revisions",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    postmortemId: uuid()
      .notNull()
      .references(() => postmortems.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    markdown: text().notNull(),
    authorType: text().notNull(),
    authorId: text(),
    authorName: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("postmortem_revisions_version_key").on(t.postmortemId, t.version)],
);

export const actionItems = pgTable(
  "action_items",
  {
    id: uuid().primaryKey().defaultRandom(),
    postmortemId: uuid()
      .notNull()
      .references(() => postmortems.id, { onDelete: "cascade" }),
    title: text().notNull(),
    ownerId: uuid().references(() => users.id, { onDelete: "set null" }),
    dueDate: date({ mode: "string" }),
    status: actionItemStatusEnum().notNull().default("open"),
    /** jira | github, once a ticket was created. */
    tracker: text(),
    externalKey: text(),
    externalUrl: text(),
    /** The tracker's own message when creating the ticket failed. */
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("action_items_postmortem_idx").on(t.postmortemId),
    index("action_items_due_idx").on(t.status, t.dueDate),
  ],
);

export type PostmortemRow = typeof postmortems.$inferSelect;
export type ActionItemRow = typeof actionItems.$inferSelect;
