// Above the board, for whoever may decide: remediation runs waiting for approval. Without it a risky
// restart asked for in one incident's page waits unseen until someone happens to open that page.
import Link from "next/link";
import { TimeAgo } from "@/components/runbooks/time-ago";
import { SeverityBadge } from "@/components/ui/severity-badge";
import type { Ctx } from "@/lib/context";
import { approvalRight } from "@/lib/remediation/policy";
import { listPendingApprovals } from "@/lib/remediation/list-remediation-runs";
import { getRuntime } from "@/lib/runtime";
import type { UserActor } from "../page-context";

export async function PendingApprovals({ ctx }: { ctx: Ctx & { actor: UserActor } }) {
  const twoPerson = getRuntime().config.remediation.twoPerson;
  // Only what this person may decide (under the two-person rule, not their own requests); nothing, and no
  // query, for someone who decides on no run at all.
  const approver = { role: ctx.actor.role, personId: ctx.actor.userId, isPerson: true };
  if (!approvalRight(approver, null, twoPerson).allowed) return null;
  const pending = (await listPendingApprovals({ ctx, input: {} })).filter(
    (run) => approvalRight(approver, run.requested_by.id, twoPerson).allowed,
  );
  if (pending.length === 0) return null;
  return (
    <section
      aria-labelledby="pending-approvals"
      className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
      data-testid="pending-approvals"
    >
      <h2 id="pending-approvals" className="font-semibold">
        Waiting for approval ({pending.length})
      </h2>
      <ul className="mt-1 space-y-1">
        {pending.map((run) => (
          <li key={run.id}>
            {run.incident ? (
              <>
                <SeverityBadge severity={run.incident.severity} />{" "}
                <Link href={`/incidents/${run.incident.ref}`} className="font-medium underline">
                  {run.incident.ref}
                </Link>{" "}
              </>
            ) : null}
            {run.action_id} on {run.target}, asked by {run.requested_by.name}{" "}
            <TimeAgo iso={run.requested_at} now={ctx.now} />
          </li>
        ))}
      </ul>
    </section>
  );
}
