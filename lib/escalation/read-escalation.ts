// Where an incident's escalation stands, as the incident page and GET /api/v1/incidents/{ref}/escalation
// show it: the policy its latest run follows and why, the run's state, and that run's pages, oldest first.
// Read-only: the engine (the rest of lib/escalation) writes these rows.
import { and, asc, count, desc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { escalationPolicies, escalations, pages, schedules, users } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { Ctx, VerbArgs } from "../context";
import { findIncident } from "../incidents/incident-store";
import { parseInput } from "../input";
import { IncidentRefInput } from "../incidents/schemas";

export const EscalationPage = z.object({
  id: z.uuid(),
  step: z.number().int().describe("1-based"),
  pass: z.number().int().describe("1-based: 2 and up when the policy repeats"),
  user_id: z.uuid().nullable().describe("Null for a post to the step's Slack channel"),
  name: z.string().nullable().describe("The person paged; null for a channel post"),
  channel: z
    .string()
    .nullable()
    .describe("The Slack channel posted to, for a channel post; people's addresses are not shown"),
  schedule_name: z.string().nullable().describe("The schedule that put the person on call; null when named directly"),
  method: z.enum(["email", "sms", "slack", "voice"]),
  status: z.enum(["pending", "sending", "sent", "failed", "cancelled"]),
  due_at: z.iso.datetime(),
  sent_at: z.iso.datetime().nullable(),
  bundled: z.boolean().describe("Went out inside another incident's message (pages bundled per person and method)"),
});
export type EscalationPage = z.infer<typeof EscalationPage>;

export const IncidentEscalation = z.object({
  escalation: z
    .object({
      id: z.uuid(),
      policy_id: z.uuid().nullable().describe("Null when the policy was deleted since"),
      policy_name: z.string(),
      policy_source: z
        .string()
        .describe("Why this policy: integration (the incident's source), routing (its routing rule) or default"),
      urgency: z.enum(["high", "low"]),
      state: z.enum(["active", "stopped", "exhausted"]),
      step: z.number().int().describe("1-based: the step that runs next (or is running)"),
      pass: z.number().int().describe("1-based"),
      steps_per_pass: z.number().int().nullable().describe("The policy's steps now; null when it was deleted"),
      passes: z.number().int().nullable().describe("1 + the policy's repeat count; null when it was deleted"),
      next_step_at: z.iso.datetime().nullable(),
      started_at: z.iso.datetime(),
      ended_at: z.iso.datetime().nullable(),
      ended_reason: z.string().nullable(),
    })
    .nullable()
    .describe("The latest run; null when no escalation policy applied to the incident"),
  earlier_runs: z.number().int().describe("Runs before the latest (the incident reopened)"),
  pages: z.array(EscalationPage).describe("The latest run's pages, oldest first"),
});
export type IncidentEscalation = z.infer<typeof IncidentEscalation>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The incident's latest escalation run and its pages. The incident must exist (callers found it). */
export async function getIncidentEscalation(ctx: Ctx, incidentId: string): Promise<IncidentEscalation> {
  authorize(ctx.actor, "incident.read");
  const [latest] = await ctx.db
    .select({
      run: escalations,
      stepsPerPass: escalationPolicies.steps,
      repeat: escalationPolicies.repeat,
    })
    .from(escalations)
    .leftJoin(escalationPolicies, eq(escalationPolicies.id, escalations.policyId))
    .where(eq(escalations.incidentId, incidentId))
    .orderBy(desc(escalations.startedAt), desc(escalations.id))
    .limit(1);
  if (!latest) return { escalation: null, earlier_runs: 0, pages: [] };
  const { run } = latest;
  const [[earlier], rows] = await Promise.all([
    ctx.db
      .select({ n: count() })
      .from(escalations)
      .where(and(eq(escalations.incidentId, incidentId), ne(escalations.id, run.id))),
    ctx.db
      .select({ page: pages, name: users.name, scheduleName: schedules.name })
      .from(pages)
      .leftJoin(users, eq(users.id, pages.userId))
      .leftJoin(schedules, eq(schedules.id, pages.scheduleId))
      .where(eq(pages.escalationId, run.id))
      .orderBy(asc(pages.dueAt), asc(pages.createdAt), asc(pages.id)),
  ]);
  return {
    escalation: {
      id: run.id,
      policy_id: run.policyId,
      policy_name: run.policyName,
      policy_source: run.policySource,
      urgency: run.urgency,
      state: run.state,
      step: run.step + 1,
      pass: run.pass + 1,
      steps_per_pass: latest.stepsPerPass?.length ?? null,
      passes: latest.repeat === null ? null : latest.repeat + 1,
      next_step_at: iso(run.nextStepAt),
      started_at: run.startedAt.toISOString(),
      ended_at: iso(run.endedAt),
      ended_reason: run.endedReason,
    },
    earlier_runs: earlier?.n ?? 0,
    pages: rows.map(({ page, name, scheduleName }) => ({
      id: page.id,
      step: page.step + 1,
      pass: page.pass + 1,
      user_id: page.userId,
      name: page.userId === null ? null : name,
      channel: page.userId === null ? page.address : null,
      schedule_name: scheduleName,
      method: page.method,
      status: page.status,
      due_at: page.dueAt.toISOString(),
      sent_at: iso(page.sentAt),
      bundled: page.bundledIntoId !== null,
    })),
  };
}

/** The same by incident ref (INC-7 or its id), for the API door: 404 when no incident has that ref. */
export async function readIncidentEscalation({ ctx, input }: VerbArgs<{ ref: string }>): Promise<IncidentEscalation> {
  authorize(ctx.actor, "incident.read");
  const { ref } = parseInput(IncidentRefInput, input);
  const incident = await findIncident(ctx.db, ref);
  return getIncidentEscalation(ctx, incident.id);
}
