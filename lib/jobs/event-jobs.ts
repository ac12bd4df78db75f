// Which jobs a timeline event enqueues, by its kind. The incident core only appends events (the timeline
// is the outbox: lib/incidents/incident-store.ts enqueues these jobs in the statement that inserts the
// event); what follows from an event is decided here, beside the other job wiring. To make an event
// kind start a job, add a row to `eventJobs`.
import { sql, type SQL } from "drizzle-orm";
import { jobSpec } from "./job-specs";
import { outboundEventKinds, PLAN_JOB } from "../notifications/outbound-events";
import { DRAFT_JOB, DRAFT_SETTLE_MS } from "../postmortems/draft-on-resolve";
import { TRIGGER_JOB, triggerEventKinds } from "../remediation/job-names";
import { escalationPolicies, integrations } from "@/db/schema";
import { FOLLOW_JOB, pagingPriority, startKinds, stopKinds, urgencyKinds } from "../escalation/job-names";

export interface EventJob {
  /** The task's name (a job definition in lib/jobs/index.ts). */
  job: string;
  /** The timeline kinds that enqueue it. */
  kinds: ReadonlySet<string>;
  /** `{ event_id }`, or `{ incident_id }` for work about the incident as a whole. */
  payload: "event_id" | "incident_id";
  /** With `incident_id`: one queued job per incident, a later event's replacing a waiting one's time. */
  jobKeyPrefix?: string;
  /** Run this long after the event (on the wall clock, whatever time the verb's context says it is). */
  delayMs?: number;
  maxAttempts?: number;
  /** Lower runs first among due jobs (lib/jobs/enqueue.ts). */
  priority?: number;
  /** Only when this holds (SQL over the event's row): work that can be known to be moot is not queued. */
  when?: (event: SQL) => SQL;
}

export const eventJobs: readonly EventJob[] = [
  // People outside Vigil hear about it: Slack, PagerDuty, email, SMS.
  { job: PLAN_JOB, kinds: outboundEventKinds, payload: "event_id" },
  // Automatic remediation may start.
  { job: TRIGGER_JOB, kinds: triggerEventKinds, payload: "event_id" },
  // The escalation engine: an opened or reopened incident starts its policy, when there is a policy or
  // its integration names one (gone, it leaves "nobody paged" on the timeline); without, a Vigil with no
  // on-call policies would run a job per new incident to start nothing. An acknowledgement or a resolve
  // stops a run (ad hoc ones need no policy), and a severity change re-rates its urgency.
  {
    job: FOLLOW_JOB,
    kinds: startKinds,
    payload: "event_id",
    priority: pagingPriority.follow,
    when: (event) =>
      sql`(exists (select 1 from ${escalationPolicies}) or exists (select 1 from ${integrations} g
             where g.id::text = ${event}.data->>'integration_id' and g.escalation_policy is not null))`,
  },
  {
    job: FOLLOW_JOB,
    kinds: new Set([...stopKinds, ...urgencyKinds]),
    payload: "event_id",
    priority: pagingPriority.follow,
  },
  // The postmortem draft, a little after the resolve: the resolution's own messages land on the timeline
  // first, and an incident that flaps straight back open is not drafted for nothing.
  {
    job: DRAFT_JOB,
    kinds: new Set(["resolved"]),
    payload: "incident_id",
    jobKeyPrefix: "postmortem-draft:",
    delayMs: DRAFT_SETTLE_MS,
    maxAttempts: 10,
  },
];

/** The jobs an event of this kind enqueues, but those the caller has done itself. */
export const jobsForEvent = (kind: string, handled: readonly string[] = [], table = eventJobs): EventJob[] =>
  table.filter((entry) => entry.kinds.has(kind) && !handled.includes(entry.job));

/**
 * A select of the `job_spec` rows (lib/jobs/job-specs.ts) of `jobs` for each row of `event` (a row source
 * with the event's `id` and `incident_id`), one per job: the statement that inserts the event enqueues
 * them with its other jobs, so they commit with it.
 */
export const eventJobSpecsSql = (jobs: readonly EventJob[], event: SQL): SQL[] =>
  jobs.map((entry) => {
    const spec = jobSpec({
      identifier: entry.job,
      payload:
        entry.payload === "event_id"
          ? sql`json_build_object('event_id', ${event}.id)`
          : sql`json_build_object('incident_id', ${event}.incident_id)`,
      runAt:
        entry.delayMs !== undefined
          ? sql`${new Date(Date.now() + entry.delayMs).toISOString()}::timestamptz`
          : undefined,
      maxAttempts: entry.maxAttempts,
      priority: entry.priority,
      jobKey: entry.jobKeyPrefix !== undefined ? sql`${entry.jobKeyPrefix}::text || ${event}.incident_id` : undefined,
    });
    return sql`select ${spec} as spec from ${event}${entry.when ? sql` where ${entry.when(event)}` : sql``}`;
  });
