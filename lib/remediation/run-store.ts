// Reads the remediation verbs and jobs share: a run (optionally locked) with its runbook's slug, the
// action's title as its runbook version had it, and an incident's runs.
import { and, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { remediationRuns, runbooks, runbookVersions, type RemediationRunRow } from "@/db/schema";
import { notFound } from "../errors";

export async function findRun(db: DbOrTx, id: string, options: { lock?: boolean } = {}): Promise<RemediationRunRow> {
  const query = db.select().from(remediationRuns).where(eq(remediationRuns.id, id));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw notFound(`Remediation run ${id}`);
  return row;
}

export async function runbookSlugOf(db: DbOrTx, run: Pick<RemediationRunRow, "runbookId">): Promise<string | null> {
  if (!run.runbookId) return null;
  const [row] = await db.select({ slug: runbooks.slug }).from(runbooks).where(eq(runbooks.id, run.runbookId));
  return row?.slug ?? null;
}

/** The action's title in the runbook version the run was made from (its id when that is gone). */
export async function actionTitleOf(
  db: DbOrTx,
  run: Pick<RemediationRunRow, "runbookId" | "runbookVersion" | "actionId">,
): Promise<string> {
  if (!run.runbookId || run.runbookVersion === null) return run.actionId;
  const [version] = await db
    .select({ frontMatter: runbookVersions.frontMatter })
    .from(runbookVersions)
    .where(and(eq(runbookVersions.runbookId, run.runbookId), eq(runbookVersions.version, run.runbookVersion)));
  const actions = (version?.frontMatter.actions ?? []) as { id?: unknown; title?: unknown }[];
  const title = actions.find((a) => a.id === run.actionId)?.title;
  return typeof title === "string" ? title : run.actionId;
}

export async function listIncidentRuns(
  db: DbOrTx,
  incidentId: string,
): Promise<{ run: RemediationRunRow; slug: string | null }[]> {
  const rows = await db
    .select({ run: remediationRuns, slug: runbooks.slug })
    .from(remediationRuns)
    .leftJoin(runbooks, eq(runbooks.id, remediationRuns.runbookId))
    .where(eq(remediationRuns.incidentId, incidentId))
    .orderBy(desc(remediationRuns.requestedAt));
  return rows;
}
