"use client";

// The runbook's actions on the incident page: a responder runs one (or a dry run) for the incident's
// alert; the runs list shows what the policy decided and what happened; an admin (or a second responder,
// with the two-person rule) approves or rejects a run that waits. The server decides; a refusal shows
// the server's own explanation.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { RemediationRun } from "@/lib/remediation/schemas";
import { callApi } from "../api-client";
import { Button } from "../ui/button";
import { cell, DataTable, mutedCell } from "../ui/data-table";
import { UtcTime } from "../ui/utc-time";

export interface PanelAction {
  id: string;
  title: string;
  type: string;
  auto: boolean;
  requiresApproval: boolean;
  /** What it would act on for the incident's (first) alert, or why it cannot run here. */
  target: string | null;
  problem: string | null;
}

export interface PanelRun extends RemediationRun {
  title: string;
  canDecide: boolean;
}

const statusStyle: Record<RemediationRun["status"], string> = {
  pending_approval: "bg-amber-50 text-amber-900 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-200",
  approved: "bg-blue-50 text-blue-900 ring-blue-600/20 dark:bg-blue-950 dark:text-blue-200",
  running: "bg-blue-50 text-blue-900 ring-blue-600/20 dark:bg-blue-950 dark:text-blue-200",
  succeeded: "bg-emerald-50 text-emerald-900 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-200",
  failed: "bg-red-50 text-red-900 ring-red-600/20 dark:bg-red-950 dark:text-red-200",
  rejected: "bg-zinc-100 text-zinc-800 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-200",
  rate_limited: "bg-zinc-100 text-zinc-800 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-200",
  denied: "bg-zinc-100 text-zinc-800 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-200",
};

type Mutation = { label: string; path: string; body: Record<string, unknown> };

export function RemediationPanel({
  incidentRef,
  runbook,
  actions,
  runs,
  canRequest,
}: {
  incidentRef: string;
  runbook: string | null;
  actions: PanelAction[];
  runs: PanelRun[];
  canRequest: boolean;
}) {
  const router = useRouter();
  const change = useMutation({
    mutationFn: (m: Mutation) => callApi<RemediationRun>(m.path, { method: "POST", body: m.body }),
    onSuccess: () => router.refresh(),
  });
  const request = (action: PanelAction, dryRun: boolean) =>
    change.mutate({
      label: `${dryRun ? "dry-run" : "run"} ${action.title}`,
      path: `/api/v1/incidents/${incidentRef}/remediations`,
      body: { runbook, action: action.id, ...(dryRun ? { dry_run: true } : {}) },
    });

  return (
    <div className="space-y-3" data-testid="remediation-panel">
      {canRequest && actions.length > 0 && (
        <ul className="space-y-2">
          {actions.map((a) => (
            <li key={a.id} className="flex flex-wrap items-center gap-2 text-sm" data-testid="runbook-action">
              <span className="font-medium">{a.title}</span>
              <span className="font-mono text-xs text-muted">{a.type}</span>
              {a.target ? (
                <span className="text-zinc-600 dark:text-zinc-400">on {a.target}</span>
              ) : (
                <span className="text-muted">cannot run here: {a.problem}</span>
              )}
              {a.auto && (
                <span className="rounded bg-blue-100 px-1 text-xs text-blue-900 dark:bg-blue-950 dark:text-blue-200">
                  auto
                </span>
              )}
              {a.requiresApproval && (
                <span className="rounded bg-amber-100 px-1 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">
                  needs approval
                </span>
              )}
              {a.target && (
                <span className="ml-auto flex gap-2">
                  <Button
                    size="sm"
                    intent="primary"
                    disabled={change.isPending}
                    onClick={() => window.confirm(`Run "${a.title}" on ${a.target}?`) && request(a, false)}
                  >
                    Run
                  </Button>
                  <Button size="sm" disabled={change.isPending} onClick={() => request(a, true)}>
                    Dry run
                  </Button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {change.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not {change.variables?.label}: {change.error.message}
        </p>
      )}
      {runs.length > 0 && (
        <DataTable columns={["Action", "Status", "Requested", "Decided", "Result"]}>
          {runs.map((run) => (
            <tr key={run.id} data-testid="remediation-run">
              <td className={cell}>
                {run.title}
                {run.dry_run && " (dry run)"}
                <span className="block text-xs text-muted">{run.target}</span>
              </td>
              <td className={cell}>
                <span
                  className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusStyle[run.status]}`}
                  data-testid="remediation-status"
                >
                  {statusLabel(run)}
                </span>
                {run.canDecide && (
                  <span className="mt-1 flex gap-1">
                    <Button
                      size="sm"
                      intent="primary"
                      onClick={() =>
                        change.mutate({ label: "approve", path: `/api/v1/remediations/${run.id}/approve`, body: {} })
                      }
                    >
                      Approve
                    </Button>
                    <Button
                      size="sm"
                      intent="danger"
                      onClick={() =>
                        change.mutate({ label: "reject", path: `/api/v1/remediations/${run.id}/reject`, body: {} })
                      }
                    >
                      Reject
                    </Button>
                  </span>
                )}
              </td>
              <td className={mutedCell}>
                {run.automatic ? "automatically" : run.requested_by.name}
                <span className="block text-xs">
                  <UtcTime iso={run.requested_at} withDate={false} />
                </span>
              </td>
              <td className={mutedCell}>{run.decided_by?.name ?? "—"}</td>
              <td className={`${mutedCell} max-w-md`}>
                <span className="block">{run.output ?? run.reason ?? ""}</span>
                {run.output && run.reason && <span className="block text-xs text-muted">{run.reason}</span>}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

/** A dry run changes nothing: its outcome is whether the action could have run ("check failed"), not a failure. */
function statusLabel(run: { status: string; dry_run: boolean }): string {
  if (run.dry_run && run.status === "succeeded") return "check passed";
  if (run.dry_run && run.status === "failed") return "check failed";
  return run.status.replace("_", " ");
}
