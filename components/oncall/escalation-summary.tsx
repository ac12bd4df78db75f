// The incident's escalation, read-only: which policy it follows and why, where the run stands (escalating
// to step N at HH:MM, stopped and why, exhausted) and every page of the run, oldest first. Plain props.
import Link from "next/link";
import type { EscalationPage, IncidentEscalation } from "@/lib/escalation/read-escalation";
import { UtcTime } from "../ui/utc-time";

const sources: Record<string, string> = {
  integration: "the integration the incident came from",
  routing: "its routing rule",
  default: "the default policy",
};

const methodNames: Record<EscalationPage["method"], string> = {
  email: "email",
  sms: "SMS",
  slack: "Slack",
  voice: "voice call",
};

const statusStyle: Record<EscalationPage["status"], string> = {
  sent: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  pending: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  sending: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  cancelled: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

/** "step 2" on the first pass, "step 2, pass 3" after the policy repeats. */
const stepName = (step: number, pass: number) => (pass > 1 ? `step ${step}, pass ${pass}` : `step ${step}`);

export function EscalationSummary({ escalation }: { escalation: IncidentEscalation }) {
  const run = escalation.escalation;
  if (!run) return <p className="text-sm text-muted">No escalation policy applies to this incident.</p>;
  return (
    <div className="space-y-2">
      <p>
        <span className="font-semibold">Escalation</span> by policy{" "}
        {run.policy_id ? (
          <Link href={`/oncall/policies/${run.policy_id}`} className="underline">
            {run.policy_name}
          </Link>
        ) : (
          run.policy_name
        )}{" "}
        <span className="text-muted">
          ({sources[run.policy_source] ?? run.policy_source}; {run.urgency} urgency)
        </span>
      </p>
      <p data-testid="escalation-state">
        <RunState run={run} />
        {escalation.earlier_runs > 0 && (
          <span className="text-muted">
            {" "}
            · {escalation.earlier_runs} earlier {escalation.earlier_runs === 1 ? "run" : "runs"} before a reopen
          </span>
        )}
      </p>
      {escalation.pages.length === 0 ? (
        <p className="text-muted">Nobody paged yet.</p>
      ) : (
        <ol className="space-y-1" aria-label="Pages, oldest first">
          {escalation.pages.map((p) => (
            <li key={p.id} data-testid="escalation-page" className="flex flex-wrap items-baseline gap-x-2">
              <span className="font-medium">{p.name ?? `#${p.channel ?? "channel"}`}</span>
              <span>by {methodNames[p.method]}</span>
              <span className="text-muted">
                ({stepName(p.step, p.pass)}
                {p.schedule_name ? `, ${p.schedule_name}` : ""})
              </span>
              <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${statusStyle[p.status]}`}>
                {p.status}
                {p.bundled ? ", bundled" : ""}
              </span>
              <span className="text-muted tabular-nums">
                {p.sent_at ? (
                  <UtcTime iso={p.sent_at} withDate={false} />
                ) : (
                  <>
                    due <UtcTime iso={p.due_at} withDate={false} />
                  </>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function RunState({ run }: { run: NonNullable<IncidentEscalation["escalation"]> }) {
  if (run.state === "active")
    return (
      <>
        <span className="font-medium text-amber-800 dark:text-amber-300">Escalating:</span>{" "}
        {run.next_step_at ? (
          <>
            {stepName(run.step, run.pass)} next at <UtcTime iso={run.next_step_at} withDate={false} />
          </>
        ) : (
          `${stepName(run.step, run.pass)} running`
        )}
      </>
    );
  if (run.state === "stopped")
    return (
      <>
        <span className="font-medium">Stopped</span>
        {run.ended_reason ? `: ${run.ended_reason}` : ""}
        {run.ended_at && (
          <>
            {" "}
            at <UtcTime iso={run.ended_at} withDate={false} />
          </>
        )}
      </>
    );
  return (
    <>
      <span className="font-medium text-red-700 dark:text-red-400">Exhausted:</span> every step
      {run.passes && run.passes > 1 ? ` of all ${run.passes} passes` : ""} ran and nobody acknowledged
    </>
  );
}
