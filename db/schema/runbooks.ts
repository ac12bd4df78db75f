// Runbooks and their versions. Markdown files in runbooks/ seed the catalog; every change — a new file
// content synced at start, or an edit in the app — is a new version with its author, so history and
// diffs are kept and the current text is always the newest version.
import { bigserial, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const runbookSourceEnum = pgEnum("runbook_source", ["file", "app", "kubernetes"]);

export const runbooks = pgTable("runbooks", {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  title: text().notNull(),
  currentVersion: integer().notNull(),
  /** The file under runbooks/ it came from, if any. */
  filePath: text(),
  /** SHA-256 of that file's content when last synced: a changed file makes a new version at start. */
  fileHash: text(),
  /**
   * The Runbook custom resource it comes from ("namespace/name"), if any: such a runbook is edited in
   * Kubernetes, never in the app, and its actions act only once an admin approved them in Vigil.
   */
  resourceRef: text(),
  /** SHA-256 of the document made from that resource when last synced. */
  resourceHash: text(),
  /** The resource was deleted: the runbook stays (history, runs), its actions no longer act. */
  removedAt: timestamp({ withTimezone: true }),
  /** Why the resource's actions are refused whatever an admin says (a namespace REMEDIATION_NAMESPACES does not allow). */
  resourceProblem: text(),
  /** Digest of the actions an admin approved (see actionsDigest): a text-only change keeps it valid. */
  actionsApprovedDigest: text(),
  actionsApprovedVersion: integer(),
  actionsApprovedBy: text(),
  actionsApprovedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
});

export const runbookVersions = pgTable(
  "runbook_versions",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    runbookId: uuid()
      .notNull()
      .references(() => runbooks.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    /** The whole document: YAML front matter and the markdown body. */
    markdown: text().notNull(),
    /** The front matter as validated when this version was saved. */
    frontMatter: jsonb().$type<Record<string, unknown>>().notNull(),
    source: runbookSourceEnum().notNull(),
    authorType: text().notNull(),
    authorId: text(),
    authorName: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("runbook_versions_runbook_version_key").on(t.runbookId, t.version)],
);

export type RunbookRow = typeof runbooks.$inferSelect;
export type RunbookVersionRow = typeof runbookVersions.$inferSelect;
