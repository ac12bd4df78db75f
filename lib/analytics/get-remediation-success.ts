// Auto-remediation success: of the automatic runs requested in the range that finished, how many
// succeeded, overall and per action. Dry runs act on nothing and are left out.
import { and, count, eq, gte, lt } from "drizzle-orm";
import { remediationRuns } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import type { RemediationSuccess } from "./schemas";
import { shareOf } from "./share";
import { resolveTimeRange, TimeRangeQuery } from "./time-range";

/** Runs of one action that ended (or not yet) in one status, as a query over the runs would count them. */
export interface RemediationRunCount {
  action: string;
  status: string;
  runs: number;
}

export async function getRemediationSuccess({ ctx, input }: VerbArgs<TimeRangeQuery>): Promise<RemediationSuccess> {
  authorize(ctx.actor, "analytics.read");
  const range = resolveTimeRange(parseInput(TimeRangeQuery, input, "query"), ctx.now);
  const rows = await ctx.db
    .select({ action: remediationRuns.actionType, status: remediationRuns.status, runs: count() })
    .from(remediationRuns)
    .where(
      and(
        eq(remediationRuns.automatic, true),
        eq(remediationRuns.dryRun, false),
        gte(remediationRuns.requestedAt, range.from),
        lt(remediationRuns.requestedAt, range.to),
      ),
    )
    .groupBy(remediationRuns.actionType, remediationRuns.status);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    available: true,
    reason: null,
    ...summarizeRemediationRuns(rows),
  };
}

/** Totals and per-action shares; only succeeded and failed runs are finished (pending or rejected ones are not). */
export function summarizeRemediationRuns(
  counts: readonly RemediationRunCount[],
): Omit<RemediationSuccess, "from" | "to" | "available" | "reason"> {
  const byAction = new Map<string, { action: string; runs: number; succeeded: number; failed: number }>();
  for (const { action, status, runs } of counts) {
    const entry = byAction.get(action) ?? { action, runs: 0, succeeded: 0, failed: 0 };
    entry.runs += runs;
    if (status === "succeeded") entry.succeeded += runs;
    if (status === "failed") entry.failed += runs;
    byAction.set(action, entry);
  }
  const actions = [...byAction.values()].sort((a, b) => b.runs - a.runs || a.action.localeCompare(b.action));
  const sum = (pick: (a: (typeof actions)[number]) => number) => actions.reduce((total, a) => total + pick(a), 0);
  const succeeded = sum((a) => a.succeeded);
  const failed = sum((a) => a.failed);
  return {
    runs: sum((a) => a.runs),
    succeeded,
    failed,
    success_share: shareOf(succeeded, succeeded + failed),
    by_action: actions.map((a) => ({ ...a, success_share: shareOf(a.succeeded, a.succeeded + a.failed) })),
  };
}
