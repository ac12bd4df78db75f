// On-call analytics from the escalation engine's record: how far escalation got before someone
// acknowledged (per step, with time to acknowledge), and the load on people: sent pages per person per
// week and nights interrupted, in each person's own time zone (oncall-load.ts). Runs count by when they
// started, pages by when they were sent; drills and tests (excluded incidents) are left out.
import { sql, type SQL } from "drizzle-orm";
import { escalationPolicies, escalations, incidents, pages, users } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { durationStats } from "./duration-stats";
import { stepReached, summarizeOncallLoad } from "./oncall-load";
import { runAnalyticsQuery } from "./run-analytics-query";
import { OncallQuery, type OncallLoad, type StepReached } from "./schemas";
import { shareOf } from "./share";
import { bucketStarts, resolveTimeRange, type TimeRange } from "./time-range";

interface RunRow extends Record<string, unknown> {
  ack_seconds: number | null;
  last_pass: number | null;
  last_step: number | null;
  steps_per_pass: number;
}

interface PageRow extends Record<string, unknown> {
  user_id: string;
  name: string;
  time_zone: string | null;
  incident_id: string;
  sent_at: string | Date;
  bundled: boolean;
}

export async function getOncallLoad({ ctx, input }: VerbArgs<OncallQuery>): Promise<OncallLoad> {
  authorize(ctx.actor, "analytics.read");
  const query = parseInput(OncallQuery, input, "query");
  const range = resolveTimeRange(query, ctx.now);
  const incidentFilter = sql`not ${incidents.excludeFromMetrics}
    ${query.team ? sql`and ${incidents.team} = ${query.team}` : sql``}
    ${query.service ? sql`and ${incidents.service} = ${query.service}` : sql``}`;
  const runs = await runAnalyticsQuery<RunRow>(ctx.db, runsQuery(range, incidentFilter));
  const sent = await runAnalyticsQuery<PageRow>(ctx.db, sentPagesQuery(range, incidentFilter));
  const steps = summarizeRuns(runs);
  const { people, load } = summarizeOncallLoad(
    sent.map((p) => ({
      userId: p.user_id,
      name: p.name,
      timeZone: p.time_zone,
      incidentId: p.incident_id,
      sentAt: new Date(p.sent_at),
      bundled: p.bundled,
    })),
  );
  const weeks = new Set(bucketStarts(range, "week").map((d) => d.toISOString().slice(0, 10)));
  for (const w of load) weeks.add(w.week);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    team: query.team ?? null,
    service: query.service ?? null,
    ...steps,
    weeks: [...weeks].sort(),
    people,
    load,
  };
}

/**
 * Each run started in the range: seconds to acknowledge (null if nobody did), the (pass, step) of its last
 * sent page before the acknowledgement, and how many steps a pass has. An incident keeps its first
 * acknowledged_at when it reopens, so a later run counts as acknowledged when the engine stopped it for
 * an acknowledgement (ended_reason "acknowledged…"). A run's steps per pass are its policy's, or as many
 * as its pages show when the policy is gone (a policy edited since may shift the numbering).
 */
function runsQuery(range: TimeRange, incidentFilter: SQL): SQL {
  return sql`
    with runs as (
      select ${escalations.id} as id, ${escalations.startedAt} as started_at,
             case when ${incidents.acknowledgedAt} >= ${escalations.startedAt} then ${incidents.acknowledgedAt}
                  when ${escalations.state} = 'stopped' and ${escalations.endedReason} ilike 'acknowledged%' then ${escalations.endedAt}
             end as acked_at,
             jsonb_array_length(${escalationPolicies.steps}) as policy_steps
      from ${escalations}
      join ${incidents} on ${incidents.id} = ${escalations.incidentId}
      left join ${escalationPolicies} on ${escalationPolicies.id} = ${escalations.policyId}
      where ${escalations.startedAt} >= ${range.from.toISOString()}::timestamptz
        and ${escalations.startedAt} < ${range.to.toISOString()}::timestamptz
        and ${incidentFilter}
    )
    -- greatest() skips nulls, so the unacknowledged run's null stays outside it.
    select case when runs.acked_at is not null then greatest(date_part('epoch', runs.acked_at - runs.started_at), 0) end as ack_seconds,
           last_page.pass as last_pass, last_page.step as last_step,
           greatest(coalesce(runs.policy_steps, 0),
                    (select max(${pages.step}) + 1 from ${pages} where ${pages.escalationId} = runs.id), 1)::int as steps_per_pass
    from runs
    left join lateral (
      select ${pages.pass} as pass, ${pages.step} as step from ${pages}
      where ${pages.escalationId} = runs.id and ${pages.status} = 'sent'
        and (runs.acked_at is null or ${pages.sentAt} <= runs.acked_at)
      order by ${pages.pass} desc, ${pages.step} desc limit 1
    ) last_page on true`;
}

/** Pages sent to people in the range (a step's Slack channel post has no person and is left out). */
function sentPagesQuery(range: TimeRange, incidentFilter: SQL): SQL {
  return sql`
    select ${pages.userId} as user_id, ${users.name} as name, ${users.timeZone} as time_zone,
           ${pages.incidentId} as incident_id, ${pages.sentAt} as sent_at,
           (${pages.bundledIntoId} is not null) as bundled
    from ${pages}
    join ${users} on ${users.id} = ${pages.userId}
    join ${incidents} on ${incidents.id} = ${pages.incidentId}
    where ${pages.status} = 'sent'
      and ${pages.sentAt} >= ${range.from.toISOString()}::timestamptz
      and ${pages.sentAt} < ${range.to.toISOString()}::timestamptz
      and ${incidentFilter}`;
}

function summarizeRuns(runs: readonly RunRow[]) {
  const bySteps = new Map<number, { escalations: number; ackSeconds: number[] }>();
  for (const run of runs) {
    const step =
      run.last_pass === null || run.last_step === null
        ? 0
        : stepReached(run.last_pass, run.last_step, run.steps_per_pass);
    const entry = bySteps.get(step) ?? { escalations: 0, ackSeconds: [] };
    entry.escalations += 1;
    if (run.ack_seconds !== null) entry.ackSeconds.push(run.ack_seconds);
    bySteps.set(step, entry);
  }
  const byStep: StepReached[] = [...bySteps.entries()]
    .sort(([a], [b]) => a - b)
    .map(([step, e]) => ({
      step,
      escalations: e.escalations,
      acknowledged: e.ackSeconds.length,
      time_to_ack: durationStats(e.ackSeconds),
    }));
  const acked = runs.flatMap((r) => (r.ack_seconds === null ? [] : [r.ack_seconds]));
  const reachedTwo = byStep.filter((s) => s.step >= 2).reduce((sum, s) => sum + s.escalations, 0);
  return {
    escalations: runs.length,
    acknowledged: acked.length,
    unacknowledged: runs.length - acked.length,
    reached_step_2_share: shareOf(reachedTwo, runs.length),
    time_to_ack: durationStats(acked),
    by_step: byStep,
  };
}
