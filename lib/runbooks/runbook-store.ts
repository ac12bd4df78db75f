// Reads and writes the runbook verbs share: the catalog (every runbook's current version, parsed), one
// runbook by slug, a new version, and the DTOs the API shows.
import { and, asc, desc, eq, isNull, or } from "drizzle-orm";
import { builtOnce } from "@/db/built-once";
import type { DbOrTx } from "@/db/client";
import { runbooks, runbookVersions, type RunbookRow, type RunbookVersionRow } from "@/db/schema";
import { describeActor, type Ctx } from "../context";
import { notFound } from "../errors";
import { describeSelector } from "./alert-selector";
import { actionsDigest, actionsInactiveReason } from "./remediation-part";
import { parseRunbookDocument, type RunbookDocument } from "./runbook-document";
import type { CatalogRunbook } from "./runbook-matching";
import type { RunbookDetail, RunbookSource, RunbookSummary, RunbookVersion } from "./schemas";

export interface StoredRunbook {
  row: RunbookRow;
  current: RunbookVersionRow;
  document: RunbookDocument;
}

/**
 * Parsed runbook versions by `<runbook id>@<version>`. Versions never change once written, so each is
 * parsed once per process: the remediation trigger looks at the catalog for every incident that opens, and
 * parsing a dozen documents (YAML, zod, markdown sections) each time was most of that job's work.
 */
const parsedVersions = new Map<string, RunbookDocument | null>();
const PARSED_VERSIONS_KEPT = 1000;
const versionKey = (runbookId: string, version: number) => `${runbookId}@${version}`;

/** Every new incident reads the catalog (does its runbook start automatic actions?): built once. A runbook whose Runbook resource was deleted matches no incident. */
const catalogRows = builtOnce((db) =>
  db.select().from(runbooks).where(isNull(runbooks.removedAt)).orderBy(asc(runbooks.title)).prepare("runbook_catalog"),
);

/** Every runbook's current version, parsed; one that no longer parses (a rule got stricter) is left out. */
export async function loadCatalog(db: DbOrTx): Promise<CatalogRunbook[]> {
  const rows = await catalogRows(db).execute();
  const unparsed = rows.filter((r) => !parsedVersions.has(versionKey(r.id, r.currentVersion)));
  if (unparsed.length > 0) {
    const versions = await db
      .select({
        runbookId: runbookVersions.runbookId,
        version: runbookVersions.version,
        markdown: runbookVersions.markdown,
      })
      .from(runbookVersions)
      .where(
        or(
          ...unparsed.map((r) =>
            and(eq(runbookVersions.runbookId, r.id), eq(runbookVersions.version, r.currentVersion)),
          ),
        ),
      );
    if (parsedVersions.size + versions.length > PARSED_VERSIONS_KEPT) parsedVersions.clear();
    for (const v of versions) {
      const parsed = parseRunbookDocument(v.markdown, { stored: true });
      parsedVersions.set(versionKey(v.runbookId, v.version), parsed.ok ? parsed.document : null);
    }
  }
  return rows.flatMap((row) => {
    const document = parsedVersions.get(versionKey(row.id, row.currentVersion));
    return document ? [catalogRunbookOf({ row, document })] : [];
  });
}

/** A stored runbook as the matching and remediation code use it, with whether its actions may act. */
export function catalogRunbookOf({ row, document }: Pick<StoredRunbook, "row" | "document">): CatalogRunbook {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    version: row.currentVersion,
    document,
    actionsInactive: actionsInactiveReason(row, document),
  };
}

export async function loadStoredRunbooks(db: DbOrTx): Promise<StoredRunbook[]> {
  const rows = await db
    .select({ row: runbooks, current: runbookVersions })
    .from(runbooks)
    .innerJoin(
      runbookVersions,
      and(eq(runbookVersions.runbookId, runbooks.id), eq(runbookVersions.version, runbooks.currentVersion)),
    )
    .orderBy(asc(runbooks.title));
  return rows.flatMap(({ row, current }) => {
    const parsed = parseRunbookDocument(current.markdown, { stored: true });
    return parsed.ok ? [{ row, current, document: parsed.document }] : [];
  });
}

export async function findRunbook(db: DbOrTx, slug: string, options: { lock?: boolean } = {}): Promise<StoredRunbook> {
  const query = db.select().from(runbooks).where(eq(runbooks.slug, slug));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw notFound(`Runbook ${slug}`);
  const [current] = await db
    .select()
    .from(runbookVersions)
    .where(and(eq(runbookVersions.runbookId, row.id), eq(runbookVersions.version, row.currentVersion)));
  if (!current) throw new Error(`runbook ${slug} has no version ${row.currentVersion}`);
  const parsed = parseRunbookDocument(current.markdown, { stored: true });
  if (!parsed.ok)
    throw new Error(
      `runbook ${slug} version ${row.currentVersion} no longer parses: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
    );
  return { row, current, document: parsed.document };
}

export async function listVersions(db: DbOrTx, runbookId: string): Promise<RunbookVersionRow[]> {
  return db
    .select()
    .from(runbookVersions)
    .where(eq(runbookVersions.runbookId, runbookId))
    .orderBy(desc(runbookVersions.version));
}

export interface VersionAuthor {
  type: string;
  id: string | null;
  name: string;
}

export const authorOf = (ctx: Ctx): VersionAuthor => {
  const who = describeActor(ctx.actor);
  return { type: who.type, id: who.id, name: who.name };
};

export interface NewVersion {
  markdown: string;
  document: RunbookDocument;
  source: RunbookSource;
  author: VersionAuthor;
  at: Date;
}

/**
 * Where a synced runbook's content comes from, as runbook columns: a file in runbooks/ (path and hash of
 * what was loaded) or a Runbook resource (ref, hash, and the refusal/removal the sync decides).
 */
export type RunbookOriginColumns = Partial<
  Pick<RunbookRow, "filePath" | "fileHash" | "resourceRef" | "resourceHash" | "resourceProblem" | "removedAt">
>;

// insertRunbook, addVersion, adoptRunbookOrigin, markRunbookResourceRemoved and recordActionsApproval are the
// one writer of runbooks and their versions (the lint rule `vigil/one-writer` keeps it so): the app's
// editor, the file sync and the Runbook resource sync all save through them.

/** Adds a runbook with its first version; null when its slug is taken. */
export async function insertRunbook(
  tx: DbOrTx,
  version: NewVersion,
  origin?: RunbookOriginColumns,
): Promise<RunbookRow | null> {
  const [row] = await tx
    .insert(runbooks)
    .values({
      slug: version.document.frontMatter.slug,
      title: version.document.frontMatter.title,
      currentVersion: 1,
      ...origin,
      createdAt: version.at,
      updatedAt: version.at,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return null;
  await tx.insert(runbookVersions).values(versionValues(row.id, 1, version));
  return row;
}

/** Notes where a runbook's content now comes from (or its refusal/removal); the content stays as it is. */
export async function adoptRunbookOrigin(tx: DbOrTx, runbookId: string, origin: RunbookOriginColumns): Promise<void> {
  if (Object.keys(origin).length === 0) return;
  await tx.update(runbooks).set(origin).where(eq(runbooks.id, runbookId));
}

/** A deleted Runbook resource: its runbook stays (history, runs) marked removed; null when none or already. */
export async function markRunbookResourceRemoved(tx: DbOrTx, ref: string, now: Date): Promise<RunbookRow | null> {
  const [row] = await tx
    .update(runbooks)
    .set({ removedAt: now, updatedAt: now })
    .where(and(eq(runbooks.resourceRef, ref), isNull(runbooks.removedAt)))
    .returning();
  return row ?? null;
}

/** An admin's approval of a resource runbook's actions (the caller holds the row locked). */
export async function recordActionsApproval(
  tx: DbOrTx,
  runbookId: string,
  approval: Pick<
    RunbookRow,
    "actionsApprovedDigest" | "actionsApprovedVersion" | "actionsApprovedBy" | "actionsApprovedAt"
  >,
): Promise<void> {
  await tx.update(runbooks).set(approval).where(eq(runbooks.id, runbookId));
}

/** Adds the next version (the caller holds the runbook row locked) and makes it current. */
export async function addVersion(
  tx: DbOrTx,
  row: RunbookRow,
  version: NewVersion,
  /** The origin's columns (file path and hash, resource and hash) when a sync makes the version. */
  origin?: RunbookOriginColumns,
): Promise<RunbookRow> {
  const next = row.currentVersion + 1;
  await tx.insert(runbookVersions).values(versionValues(row.id, next, version));
  const [updated] = await tx
    .update(runbooks)
    .set({
      title: version.document.frontMatter.title,
      currentVersion: next,
      updatedAt: version.at,
      ...origin,
    })
    .where(eq(runbooks.id, row.id))
    .returning();
  if (!updated) throw new Error("runbook update returned no row");
  return updated;
}

function versionValues(runbookId: string, number: number, version: NewVersion) {
  return {
    runbookId,
    version: number,
    markdown: version.markdown,
    frontMatter: version.document.frontMatter as Record<string, unknown>,
    source: version.source,
    authorType: version.author.type,
    authorId: version.author.id,
    authorName: version.author.name,
    createdAt: version.at,
  };
}

export function toRunbookSummary({ row, current, document }: StoredRunbook): RunbookSummary {
  const fm = document.frontMatter;
  return {
    slug: row.slug,
    title: row.title,
    service: fm.service ?? null,
    version: row.currentVersion,
    source: current.source,
    file_path: row.filePath,
    resource: row.resourceRef
      ? {
          ref: row.resourceRef,
          removed_at: row.removedAt?.toISOString() ?? null,
          problem: row.resourceProblem,
          actions_approved:
            row.actionsApprovedDigest !== null && row.actionsApprovedDigest === actionsDigest(document)
              ? {
                  version: row.actionsApprovedVersion,
                  by: row.actionsApprovedBy,
                  at: row.actionsApprovedAt?.toISOString() ?? null,
                }
              : null,
        }
      : null,
    actions_inactive: actionsInactiveReason(row, document),
    alerts: describeSelector(document.selector),
    actions: fm.actions.map((a) => ({
      id: a.id,
      title: a.title,
      type: a.type,
      auto: a.auto,
      requires_approval: a.requires_approval,
      max_per_hour: a.max_per_hour ?? null,
    })),
    updated_at: row.updatedAt.toISOString(),
    updated_by: { type: current.authorType, id: current.authorId, name: current.authorName },
  };
}

export function toRunbookDetail(stored: StoredRunbook): RunbookDetail {
  const fm = stored.document.frontMatter;
  return {
    ...toRunbookSummary(stored),
    markdown: stored.current.markdown,
    body: stored.document.body,
    front_matter: fm as Record<string, unknown>,
    escalation: fm.escalation
      ? { to: fm.escalation.to, after: fm.escalation.after ?? null, channel: fm.escalation.channel ?? null }
      : null,
    edited_since_file: stored.row.filePath !== null && stored.current.source === "app",
  };
}

export const toRunbookVersion = (v: RunbookVersionRow): RunbookVersion => ({
  version: v.version,
  source: v.source,
  author: { type: v.authorType, id: v.authorId, name: v.authorName },
  created_at: v.createdAt.toISOString(),
  markdown: v.markdown,
});
