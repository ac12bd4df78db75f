// The incident page's Runbook section: the runbook the incident follows (and why), its steps, its
// actions for responders to run, and the runs so far with their decisions and results.
import Link from "next/link";
import { RemediationPanel, type PanelRun } from "@/components/remediation/remediation-panel";
import { Markdown } from "@/components/ui/markdown";
import { can } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import type { Incident } from "@/lib/incidents/schemas";
import { getIncidentRunbook } from "@/lib/remediation/incident-runbook";
import { listRemediationRuns } from "@/lib/remediation/list-remediation-runs";
import { approvalRight } from "@/lib/remediation/policy";
import { getRuntime } from "@/lib/runtime";

export async function RunbookSection({ ctx, incident, personId }: { ctx: Ctx; incident: Incident; personId: string }) {
  const [plan, runs] = await Promise.all([
    getIncidentRunbook({ ctx, input: { ref: incident.id } }),
    listRemediationRuns({ ctx, input: { ref: incident.id } }),
  ]);
  const twoPerson = getRuntime().config.remediation.twoPerson;
  const titles = new Map(plan.runbook?.actions.map((a) => [a.id, a.title]));
  const panelRuns: PanelRun[] = runs.map((run) => ({
    ...run,
    title: titles.get(run.action_id) ?? run.action_id,
    canDecide:
      run.status === "pending_approval" &&
      approvalRight({ role: ctx.actor.role, personId, isPerson: true }, run.requested_by.id, twoPerson).allowed,
  }));
  const actions = (plan.runbook?.actions ?? []).map((a) => {
    const target = plan.targets[a.id]?.[0];
    return {
      id: a.id,
      title: a.title,
      type: a.type,
      auto: a.auto,
      requiresApproval: a.requires_approval,
      target: target?.target ?? null,
      problem: target?.problem ?? null,
    };
  });
  const panel = (
    <RemediationPanel
      incidentRef={incident.ref}
      runbook={plan.runbook?.slug ?? null}
      actions={actions}
      runs={panelRuns}
      canRequest={can(ctx.actor.role, "remediation.request") && incident.status !== "resolved"}
    />
  );

  if (!plan.runbook) {
    return (
      <div className="space-y-2">
        {incident.runbook_url ? (
          <p className="text-sm">
            The alert links to{" "}
            <a href={incident.runbook_url} className="text-blue-700 underline dark:text-blue-400">
              {incident.runbook_url}
            </a>
            , which is not a runbook in Vigil&apos;s catalog.
          </p>
        ) : (
          <p className="text-sm text-muted">
            No runbook matches this incident: its alerts carry no runbook_url, and no runbook&apos;s alertnames or
            labels fit them.
          </p>
        )}
        {panelRuns.length > 0 && panel}
      </div>
    );
  }
  const { runbook } = plan;
  return (
    <div className="space-y-3" data-testid="incident-runbook">
      <p className="text-sm">
        <Link href={`/runbooks/${runbook.slug}`} className="font-medium text-blue-700 underline dark:text-blue-400">
          {runbook.title}
        </Link>{" "}
        <span className="text-muted">
          ({plan.reason}; version {runbook.version})
        </span>
        {runbook.escalation && (
          <span className="block text-zinc-600 dark:text-zinc-400">
            Escalate to {runbook.escalation.to}
            {runbook.escalation.after && ` after ${runbook.escalation.after}`}
            {runbook.escalation.channel && ` (${runbook.escalation.channel})`}.
          </span>
        )}
      </p>
      {panel}
      <details
        className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
        open={incident.status !== "resolved"}
      >
        <summary className="cursor-pointer text-sm font-medium">Steps</summary>
        <Markdown
          markdown={runbook.body}
          belowPageTitle
          className="max-w-3xl text-sm text-zinc-800 dark:text-zinc-200"
          data-testid="runbook-body"
        />
      </details>
    </div>
  );
}
