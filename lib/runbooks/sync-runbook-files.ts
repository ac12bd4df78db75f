// Loads runbooks/*.md into the catalog, at the worker's start and in `npm run db:migrate`. Idempotent and
// safe to run from several processes at once: one transaction under an advisory lock, and a file only
// makes a new version when its content differs from what was last synced from it (its SHA-256).
//
// How Git and the app coexist (docs/runbooks.md):
// - A file seeds its runbook: the first sync makes version 1 from it.
// - Edits in the app make new versions; the file is not touched, and an unchanged file never undoes them.
// - When the file changes in Git, the next sync makes its content the newest version. App edits made since
//   stay in the history and are named in the audit row, so nothing is lost; export them first (the export
//   is the file format) and commit, and the sync then finds its own content already current.
// - A runbook whose file is removed stays in the catalog as it is.
// Runbook custom resources (sync-runbook-resources.ts) go through the same writer, syncRunbookOrigin.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { and, eq, gt, max, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { runbooks, runbookVersions, type RunbookRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { inTransaction, systemActor, type Ctx } from "../context";
import type { Logger } from "../observability/logger";
import { parseRunbookDocument, type RunbookDocument, type RunbookProblem } from "./runbook-document";
import { addVersion, adoptRunbookOrigin, findRunbook, insertRunbook } from "./runbook-store";
import { advisoryLocks } from "@/db/advisory-locks";

export interface SyncReport {
  created: string[];
  updated: string[];
  /** The file's content was already the current version (an export committed back): nothing new. */
  adopted: string[];
  unchanged: string[];
  skipped: { file: string; problems: string[] }[];
}

/** The report as lines for a console: a summary, then each file left out and why. */
export function describeSyncReport(report: SyncReport): string[] {
  return [
    `Runbooks: ${report.created.length} new, ${report.updated.length} updated from their files, ${report.unchanged.length + report.adopted.length} unchanged.`,
    ...report.skipped.map((skipped) => `Runbook ${skipped.file} not loaded:\n  ${skipped.problems.join("\n  ")}`),
  ];
}

export async function syncRunbookFiles(db: DbOrTx, dir: string, now: Date, log?: Logger): Promise<SyncReport> {
  const report: SyncReport = { created: [], updated: [], adopted: [], unchanged: [], skipped: [] };
  const files = await readRunbookFiles(dir, report);
  const ctx: Ctx = { db, actor: systemActor("Runbook catalog"), now };
  await withCatalogLock(ctx, async (txCtx) => {
    for (const file of files) await syncRunbookOrigin(txCtx, file, report);
  });
  for (const skipped of report.skipped)
    log?.error({ file: skipped.file, problems: skipped.problems }, "runbook file not loaded");
  log?.info(
    {
      created: report.created,
      updated: report.updated,
      adopted: report.adopted,
      unchanged: report.unchanged.length,
      skipped: report.skipped.length,
    },
    "runbook catalog synced",
  );
  return report;
}

async function readRunbookFiles(dir: string, report: SyncReport): Promise<RunbookOrigin[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".md") && n.toLowerCase() !== "readme.md").sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: RunbookOrigin[] = [];
  const slugs = new Map<string, string>();
  for (const name of names) {
    const shown = path.posix.join(path.basename(dir), name);
    const markdown = await readFile(path.join(dir, name), "utf8");
    const parsed = parseRunbookDocument(markdown);
    if (!parsed.ok) {
      report.skipped.push({ file: shown, problems: parsed.errors.map(problemText) });
      continue;
    }
    const slug = parsed.document.frontMatter.slug;
    const other = slugs.get(slug);
    if (other) {
      report.skipped.push({ file: shown, problems: [`slug ${slug} is already taken by ${other}`] });
      continue;
    }
    slugs.set(slug, shown);
    files.push({ kind: "file", ref: shown, markdown, hash: sha256(markdown), document: parsed.document });
  }
  return files;
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export const problemText = (p: RunbookProblem) => `${p.line ? `line ${p.line}: ` : ""}${p.path}: ${p.message}`;

/** Where a runbook's versions come from besides the app: a file under runbooks/, or a Runbook resource. */
export interface RunbookOrigin {
  kind: "file" | "kubernetes";
  /** runbooks/high-error-rate.md, or the resource's namespace/name. */
  ref: string;
  markdown: string;
  /** SHA-256 of `markdown`: an origin only makes a new version when its content changed. */
  hash: string;
  document: RunbookDocument;
  /** Set on the runbook row at every sync, changed content or not (a resource's refusal, its removal cleared). */
  columns?: Partial<Pick<RunbookRow, "resourceProblem" | "removedAt">>;
}

const originColumns = (origin: RunbookOrigin) =>
  origin.kind === "file"
    ? { filePath: origin.ref, fileHash: origin.hash }
    : { resourceRef: origin.ref, resourceHash: origin.hash, ...origin.columns };

const originAuthor = (origin: RunbookOrigin) =>
  origin.kind === "file"
    ? { type: "file", id: origin.ref, name: `${origin.ref} (Git)` }
    : { type: "kubernetes", id: origin.ref, name: `${origin.ref} (Kubernetes)` };

/** Runs `sync` in one transaction under the catalog's lock: origins sync one at a time, whichever process. */
export async function withCatalogLock<T>(ctx: Ctx, sync: (txCtx: Ctx) => Promise<T>): Promise<T> {
  return inTransaction(ctx, async (txCtx) => {
    await txCtx.db.execute(sql`select pg_advisory_xact_lock(${advisoryLocks.runbookSync})`);
    return sync(txCtx);
  });
}

/**
 * The one writer of runbook versions from outside the app (the caller holds the catalog lock): the first
 * sync of an origin creates its runbook, a changed content adds a version, an unchanged one does nothing.
 * A slug another origin (or the app) owns is left alone and reported.
 */
export async function syncRunbookOrigin(ctx: Ctx, origin: RunbookOrigin, report: SyncReport): Promise<void> {
  const tx = ctx.db;
  const slug = origin.document.frontMatter.slug;
  const author = originAuthor(origin);
  const source = origin.kind;
  const auditOrigin = origin.kind === "file" ? { file: origin.ref } : { resource: origin.ref };
  const [existing] = await tx.select().from(runbooks).where(eq(runbooks.slug, slug)).for("update");
  if (!existing) {
    const row = await insertRunbook(
      tx,
      { markdown: origin.markdown, document: origin.document, source, author, at: ctx.now },
      originColumns(origin),
    );
    // Free when read above; taken since only if the app created it meanwhile: the next sync adopts it.
    if (!row) throw new Error(`runbook ${slug} was created while the sync ran`);
    await recordAudit(ctx, {
      action: "runbook.sync",
      resourceType: "runbook",
      resourceId: row.id,
      details: { slug, ...auditOrigin, version: 1, created: true },
    });
    report.created.push(slug);
    return;
  }
  const owner = existing.resourceRef ? `the Runbook resource ${existing.resourceRef}` : null;
  if (origin.kind === "file" ? owner : existing.resourceRef !== origin.ref) {
    report.skipped.push({
      file: origin.ref,
      problems: [`slug ${slug} is already taken by ${owner ?? existing.filePath ?? "a runbook made in Vigil"}`],
    });
    return;
  }
  if ((origin.kind === "file" ? existing.fileHash : existing.resourceHash) === origin.hash) {
    if (origin.columns) await adoptRunbookOrigin(tx, existing.id, origin.columns);
    report.unchanged.push(slug);
    return;
  }
  const stored = await findRunbook(tx, slug);
  if (stored.current.markdown === origin.markdown) {
    await adoptRunbookOrigin(tx, existing.id, originColumns(origin));
    report.adopted.push(slug);
    return;
  }
  // App edits this content now supersedes (those after the origin's last version): they stay in the
  // history, and the audit row names them.
  const [lastSynced] = await tx
    .select({ version: max(runbookVersions.version) })
    .from(runbookVersions)
    .where(and(eq(runbookVersions.runbookId, existing.id), eq(runbookVersions.source, source)));
  const superseded = await tx
    .select({ version: runbookVersions.version, author: runbookVersions.authorName })
    .from(runbookVersions)
    .where(
      and(
        eq(runbookVersions.runbookId, existing.id),
        eq(runbookVersions.source, "app"),
        gt(runbookVersions.version, lastSynced?.version ?? 0),
      ),
    );
  const row = await addVersion(
    tx,
    existing,
    { markdown: origin.markdown, document: origin.document, source, author, at: ctx.now },
    originColumns(origin),
  );
  await recordAudit(ctx, {
    action: "runbook.sync",
    resourceType: "runbook",
    resourceId: row.id,
    details: {
      slug,
      ...auditOrigin,
      version: row.currentVersion,
      superseded_app_versions: superseded.map((s) => ({ version: s.version, author: s.author })),
    },
  });
  report.updated.push(slug);
}
