// "On call now" where incidents are worked: a small panel on the board (every schedule) and one on each
// incident page (the schedules of the policy the incident follows, chosen as the engine chooses it),
// beside the incident's escalation as the engine recorded it.
import Link from "next/link";
import type { Ctx } from "@/lib/context";
import { getIncidentEscalation } from "@/lib/escalation/read-escalation";
import type { Incident } from "@/lib/incidents/schemas";
import { notificationSettingsIfUsable } from "@/lib/notifications/settings";
import { listPolicies } from "@/lib/oncall/policies";
import { schedulesForService, whoIsOnCall } from "@/lib/oncall/who-is-on-call";
import { EscalationSummary } from "./escalation-summary";
import { OnCallNow, policiesBySchedule } from "./on-call-now";

const panel = "rounded-lg border border-zinc-200 bg-white p-3 text-sm dark:border-zinc-800 dark:bg-zinc-900";

export async function BoardOnCallPanel({ ctx }: { ctx: Ctx }) {
  const [now, policies] = await Promise.all([whoIsOnCall({ ctx, input: {} }), listPolicies({ ctx, input: {} })]);
  if (now.schedules.length === 0) return null;
  return (
    <aside aria-labelledby="board-oncall-title" className={panel}>
      <h2 id="board-oncall-title" className="mb-1 font-semibold">
        <Link href="/oncall" className="underline">
          On call now
        </Link>
      </h2>
      <OnCallNow at={now.at} entries={now.schedules} policiesBySchedule={policiesBySchedule(policies)} />
    </aside>
  );
}

export async function IncidentOnCallPanel({ ctx, incident }: { ctx: Ctx; incident: Pick<Incident, "service"> }) {
  const routing = notificationSettingsIfUsable()?.routing;
  if (!routing) return null;
  // Incidents do not record their integration, so the choice is the routing rule's, else the default.
  const chosen = await schedulesForService(ctx.db, incident.service ?? "", routing);
  if (!chosen.policy) return null;
  const [now, policies] = await Promise.all([
    chosen.scheduleIds.length
      ? whoIsOnCall({ ctx, input: {} }).then((a) => ({
          ...a,
          schedules: a.schedules.filter((s) => chosen.scheduleIds.includes(s.schedule.id)),
        }))
      : { at: ctx.now.toISOString(), schedules: [] },
    listPolicies({ ctx, input: {} }),
  ]);
  const policy = policies.find((p) => p.name === chosen.policy);
  return (
    <aside aria-label="On call for this incident" data-testid="incident-on-call" className={panel}>
      <p className="mb-1">
        <span className="font-semibold">On call now</span> for policy{" "}
        {policy ? (
          <Link href={`/oncall/policies/${policy.id}`} className="underline">
            {policy.name}
          </Link>
        ) : (
          chosen.policy
        )}{" "}
        <span className="text-muted">({chosen.source === "default" ? "the default policy" : "its routing rule"})</span>
      </p>
      <OnCallNow
        at={now.at}
        entries={now.schedules}
        policiesBySchedule={{}}
        empty="The policy pages no schedule, only people or channels named in its steps."
      />
    </aside>
  );
}

export async function IncidentEscalationPanel({ ctx, incident }: { ctx: Ctx; incident: Pick<Incident, "id"> }) {
  const escalation = await getIncidentEscalation(ctx, incident.id);
  return (
    <aside aria-label="Escalation of this incident" data-testid="incident-escalation" className={panel}>
      <EscalationSummary escalation={escalation} />
    </aside>
  );
}
