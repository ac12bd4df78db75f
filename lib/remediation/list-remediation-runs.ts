// Remediation runs as people look for them: an incident's, newest first (what was asked, what the policy
// decided, what happened), and every run still waiting for someone to approve it, oldest first.
import { asc, eq } from "drizzle-orm";
import { incidents, remediationRuns, runbooks } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { findIncident } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { IncidentRefInput, type Incident } from "../incidents/schemas";
import { parseInput } from "../input";
import { toRemediationRun } from "./run-dto";
import { listIncidentRuns } from "./run-store";
import type { RemediationRun } from "./schemas";

export async function listRemediationRuns({ ctx, input }: VerbArgs<{ ref: string }>): Promise<RemediationRun[]> {
  authorize(ctx.actor, "remediation.read");
  const { ref } = parseInput(IncidentRefInput, input);
  const incident = await findIncident(ctx.db, ref);
  return (await listIncidentRuns(ctx.db, incident.id)).map(({ run, slug }) => toRemediationRun(run, slug));
}

export type PendingApproval = RemediationRun & { incident: Pick<Incident, "ref" | "title" | "severity"> | null };

/** At most this many: the board lists them; a longer queue is a problem of its own, and the first ones say so. */
const PENDING_SHOWN = 20;

/** Runs waiting for approval, the longest-waiting first, with their incidents: nothing risky waits unseen. */
export async function listPendingApprovals({ ctx }: VerbArgs<unknown>): Promise<PendingApproval[]> {
  authorize(ctx.actor, "remediation.read");
  const rows = await ctx.db
    .select({
      run: remediationRuns,
      slug: runbooks.slug,
      number: incidents.number,
      title: incidents.title,
      severity: incidents.severity,
    })
    .from(remediationRuns)
    .leftJoin(runbooks, eq(runbooks.id, remediationRuns.runbookId))
    .leftJoin(incidents, eq(incidents.id, remediationRuns.incidentId))
    .where(eq(remediationRuns.status, "pending_approval"))
    .orderBy(asc(remediationRuns.requestedAt))
    .limit(PENDING_SHOWN);
  return rows.map(({ run, slug, number, title, severity }) => ({
    ...toRemediationRun(run, slug),
    incident:
      number !== null && title !== null && severity !== null
        ? { ref: formatIncidentRef(number), title, severity }
        : null,
  }));
}
