// A runbook's execution history: every run of its actions across incidents, newest first, keyset-paginated
// on (requested_at, id), with filters, and the runbook's success rate and median duration over the same
// date range and action (not the outcome filter: "success rate among failures" would say nothing).
import { and, count, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { incidents, remediationRuns } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { invalid } from "../errors";
import { formatIncidentRef } from "../incidents/ref";
import { parseInput } from "../input";
import { findRunbook } from "../runbooks/runbook-store";
import { RunbookSlugInput } from "../runbooks/schemas";
import { toRemediationRun } from "./run-dto";
import { RemediationRun, remediationStatuses } from "./schemas";

/** An instant with an offset, or a calendar date (00:00 UTC). */
const Instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const toDate = (value: string) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);

export const RunbookRunsQuery = z.object({
  outcome: z
    .union([z.enum(remediationStatuses), z.array(z.enum(remediationStatuses))])
    .optional()
    .describe("Only runs with this status (repeat for several)"),
  action: z.string().trim().min(1).max(100).optional().describe("Only runs of this action id"),
  from: Instant.optional().describe("Requested at or after this instant (or date, 00:00 UTC)"),
  to: Instant.optional().describe("Requested before this instant (or date, 00:00 UTC)"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional().describe("next_cursor of the previous page"),
});
export type RunbookRunsQuery = z.input<typeof RunbookRunsQuery>;
const RunbookRunsInput = RunbookRunsQuery.extend(RunbookSlugInput.shape);

export const RunbookRunEntry = RemediationRun.extend({
  incident: z.object({ ref: z.string(), title: z.string() }).nullable(),
  duration_ms: z.number().int().nullable().describe("From start to finish; null until it has run"),
});
export type RunbookRunEntry = z.infer<typeof RunbookRunEntry>;

export const RunbookRunStats = z.object({
  runs: z.number().int().describe("Runs requested in the range (every outcome, dry runs included)"),
  succeeded: z.number().int(),
  failed: z.number().int(),
  success_rate: z.number().nullable().describe("succeeded / (succeeded + failed), dry runs left out; null: none ran"),
  median_duration_ms: z.number().int().nullable().describe("Of the runs that succeeded or failed, dry runs left out"),
});
export type RunbookRunStats = z.infer<typeof RunbookRunStats>;

export const RunbookRuns = z.object({
  runbook: z.object({ slug: z.string(), title: z.string() }),
  stats: RunbookRunStats,
  data: z.array(RunbookRunEntry),
  next_cursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
});
export type RunbookRuns = z.infer<typeof RunbookRuns>;

/** `<requested_at ISO>~<id>`: the last row of a page; the next page starts strictly after it. */
const encodeCursor = (at: Date, id: string) => Buffer.from(`${at.toISOString()}~${id}`).toString("base64url");
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("~");
  const at = new Date(iso ?? "");
  if (!id || !z.uuid().safeParse(id).success || Number.isNaN(at.getTime()))
    throw invalid("The cursor is not one this API returned", [{ path: "cursor", message: "unrecognised cursor" }]);
  return { at, id };
}

export async function listRunbookRuns({
  ctx,
  input,
}: VerbArgs<RunbookRunsQuery & { slug: string }>): Promise<RunbookRuns> {
  authorize(ctx.actor, "remediation.read");
  const q = parseInput(RunbookRunsInput, input, "query");
  const from = q.from ? toDate(q.from) : null;
  const to = q.to ? toDate(q.to) : null;
  if (from && to && from.getTime() >= to.getTime())
    throw invalid("`from` must be before `to`", [{ path: "from", message: "must be before to" }]);
  const { row: runbook } = await findRunbook(ctx.db, q.slug);

  const scope: SQL[] = [eq(remediationRuns.runbookId, runbook.id)];
  if (q.action) scope.push(eq(remediationRuns.actionId, q.action));
  if (from) scope.push(gte(remediationRuns.requestedAt, from));
  if (to) scope.push(lt(remediationRuns.requestedAt, to));
  const listed = [...scope];
  const outcomes = q.outcome === undefined ? [] : [q.outcome].flat();
  if (outcomes.length > 0) listed.push(inArray(remediationRuns.status, outcomes));
  if (q.cursor) {
    const after = decodeCursor(q.cursor);
    listed.push(
      or(
        lt(remediationRuns.requestedAt, after.at),
        and(eq(remediationRuns.requestedAt, after.at), lt(remediationRuns.id, after.id)),
      ) as SQL,
    );
  }

  const [rows, stats] = await Promise.all([
    ctx.db
      .select({ run: remediationRuns, number: incidents.number, title: incidents.title })
      .from(remediationRuns)
      .leftJoin(incidents, eq(incidents.id, remediationRuns.incidentId))
      .where(and(...listed))
      .orderBy(desc(remediationRuns.requestedAt), desc(remediationRuns.id))
      .limit(q.limit + 1),
    runStats(ctx.db, and(...scope)!),
  ]);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    runbook: { slug: runbook.slug, title: runbook.title },
    stats,
    data: page.map(({ run, number, title }) => ({
      ...toRemediationRun(run, runbook.slug),
      incident: number !== null && title !== null ? { ref: formatIncidentRef(number), title } : null,
      duration_ms:
        run.startedAt && run.finishedAt ? Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime()) : null,
    })),
    next_cursor: rows.length > q.limit && last ? encodeCursor(last.run.requestedAt, last.run.id) : null,
  };
}

async function runStats(db: VerbArgs<unknown>["ctx"]["db"], scope: SQL): Promise<RunbookRunStats> {
  const ran = sql`${remediationRuns.status} in ('succeeded', 'failed') and not ${remediationRuns.dryRun}`;
  const [row] = await db
    .select({
      runs: count(),
      succeeded: sql<number>`count(*) filter (where ${ran} and ${remediationRuns.status} = 'succeeded')::int`,
      failed: sql<number>`count(*) filter (where ${ran} and ${remediationRuns.status} = 'failed')::int`,
      median: sql<
        number | null
      >`(percentile_cont(0.5) within group (order by extract(epoch from ${remediationRuns.finishedAt} - ${remediationRuns.startedAt}) * 1000) filter (where ${ran} and ${remediationRuns.startedAt} is not null and ${remediationRuns.finishedAt} is not null))::float8`,
    })
    .from(remediationRuns)
    .where(scope);
  const succeeded = row?.succeeded ?? 0;
  const failed = row?.failed ?? 0;
  return {
    runs: row?.runs ?? 0,
    succeeded,
    failed,
    success_rate: succeeded + failed > 0 ? succeeded / (succeeded + failed) : null,
    median_duration_ms: row?.median === null || row?.median === undefined ? null : Math.round(row.median),
  };
}
