// Escalation policies as data (ordered steps, each with a delay and targets, repeated 0-9 times), which
// policy an incident follows, and the pure "whom does step N reach at time t". The engine that runs the
// steps on graphile-worker jobs calls these; so do the preview, the lint and /oncall.
import { z } from "zod";
import type { StoredEscalationStep } from "@/db/schema";

export const StepTarget = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("user"), user_id: z.uuid() }),
  z.strictObject({ type: z.literal("schedule"), schedule_id: z.uuid() }),
  z.strictObject({
    type: z.literal("slack_channel"),
    channel: z
      .string()
      .trim()
      .regex(/^(#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{6,20})$/, "a Slack channel such as #ops or C024BE91L"),
  }),
]);
export type StepTarget = z.infer<typeof StepTarget>;

export const EscalationStep = z.strictObject({
  delay_minutes: z
    .number()
    .int()
    .min(1)
    .max(1440)
    .describe("Minutes to wait for an acknowledgement before the next step"),
  targets: z.array(StepTarget).min(1).max(50),
  delivery: z.enum(["everyone", "round_robin"]).default("everyone"),
});
export type EscalationStep = z.output<typeof EscalationStep>;
// The column's declared shape (db/schema/oncall.ts) must be exactly what the schema produces.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const storedStepMatches: Same<EscalationStep, StoredEscalationStep> = true;
void storedStepMatches;

export const PolicyName = z.string().trim().min(1).max(100);

export const EscalationPolicyFields = z.strictObject({
  name: PolicyName,
  description: z.string().max(2000).default(""),
  team: z.string().trim().min(1).max(100).nullable().default(null),
  repeat: z.number().int().min(0).max(9).default(0).describe("How many times the whole policy runs again"),
  is_default: z.boolean().default(false).describe("The policy for incidents no integration or routing rule names"),
  steps: z.array(EscalationStep).min(1).max(20),
});
export type EscalationPolicyFields = z.output<typeof EscalationPolicyFields>;

/** What the engine needs to know about a policy. */
export interface PolicyDefinition {
  id: string;
  name: string;
  repeat: number;
  steps: EscalationStep[];
}

export type PolicySource = "integration" | "routing" | "default";

/**
 * Which policy an incident follows, first match wins: the integration it came from (the alert-sources
 * work sets `integration` from the integration's own setting), then its routing rule's `escalation:`,
 * then the default policy. Names, not ids: the routing file names policies.
 */
export function choosePolicy(candidates: {
  integration?: string | null;
  routing?: string | null;
  defaultPolicy?: string | null;
}): { name: string; source: PolicySource } | null {
  if (candidates.integration) return { name: candidates.integration, source: "integration" };
  if (candidates.routing) return { name: candidates.routing, source: "routing" };
  if (candidates.defaultPolicy) return { name: candidates.defaultPolicy, source: "default" };
  return null;
}

/** Who each target reaches at a time: the schedules' answer comes from onCallAt, looked up by the caller. */
export interface TargetLookup {
  onCall(scheduleId: string): string[];
  /** A schedule or user that no longer exists (or a disabled user) reaches nobody. */
  userActive(userId: string): boolean;
}

export interface PersonTarget {
  userId: string;
  /** "direct" or the schedule that put them on call. */
  via: { type: "direct" } | { type: "schedule"; scheduleId: string };
}

export interface ResolvedStep {
  /** Index of the step within the policy (0-based) and which pass of the policy (0 = first run). */
  step: number;
  pass: number;
  people: PersonTarget[];
  slackChannels: string[];
}

export interface SkippedStep {
  step: number;
  pass: number;
  reason: string;
}

/** Every person and channel a step reaches at once (before round-robin picks one person). */
export function stepTargets(step: EscalationStep, lookup: TargetLookup): Omit<ResolvedStep, "step" | "pass"> {
  const people: PersonTarget[] = [];
  const slackChannels: string[] = [];
  const addPerson = (userId: string, via: PersonTarget["via"]) => {
    if (lookup.userActive(userId) && !people.some((p) => p.userId === userId)) people.push({ userId, via });
  };
  for (const target of step.targets) {
    if (target.type === "user") addPerson(target.user_id, { type: "direct" });
    else if (target.type === "schedule")
      for (const userId of lookup.onCall(target.schedule_id))
        addPerson(userId, { type: "schedule", scheduleId: target.schedule_id });
    else if (!slackChannels.includes(target.channel)) slackChannels.push(target.channel);
  }
  return { people, slackChannels };
}

/**
 * The step to run from position (step, pass) at the time the lookup describes: empty steps are skipped
 * at once and listed with why, so the engine never waits out the delay of a step that reaches nobody.
 * Round robin picks one person, turning by `roundRobinTurn` (how many times this step ran before).
 * Null `next` when the policy (with its repeats) is exhausted.
 */
export function resolveStepTargets(
  policy: PolicyDefinition,
  from: { step: number; pass: number },
  lookup: TargetLookup,
  roundRobinTurn = 0,
): { next: ResolvedStep | null; skipped: SkippedStep[] } {
  const skipped: SkippedStep[] = [];
  let { step, pass } = from;
  while (pass <= policy.repeat && policy.steps.length > 0) {
    if (step >= policy.steps.length) {
      step = 0;
      pass++;
      continue;
    }
    const definition = policy.steps[step]!;
    const { people, slackChannels } = stepTargets(definition, lookup);
    if (people.length > 0 || slackChannels.length > 0) {
      const chosen =
        definition.delivery === "round_robin" && people.length > 0
          ? [people[(roundRobinTurn + pass) % people.length]!]
          : people;
      return { next: { step, pass, people: chosen, slackChannels }, skipped };
    }
    skipped.push({ step, pass, reason: describeEmptyStep(definition) });
    step++;
  }
  return { next: null, skipped };
}

function describeEmptyStep(step: EscalationStep): string {
  const schedules = step.targets.filter((t) => t.type === "schedule").length;
  const users = step.targets.filter((t) => t.type === "user").length;
  const parts = [
    schedules ? `${schedules} schedule${schedules > 1 ? "s" : ""} with nobody on call` : "",
    users ? `${users} user${users > 1 ? "s" : ""} no longer active` : "",
  ].filter(Boolean);
  return `Nobody to page: ${parts.join(" and ")}; skipped at once`;
}
