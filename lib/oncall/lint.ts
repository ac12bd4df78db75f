// Warnings returned with a save, so silent misconfiguration is said out loud (ONCALL.md item 10): a gap
// in a schedule over the next weeks, a step that would be empty now, a scheduled person who cannot be
// reached, a policy that only posts to a channel. Pure: the verbs gather the facts.
import { finalShifts, scheduleGaps, type Schedule } from "./on-call-at";
import { stepTargets, type PolicyDefinition, type TargetLookup } from "./escalation-policy";

export interface LintWarning {
  code: "schedule_gap" | "no_contact_methods" | "empty_step" | "channel_only_policy" | "no_participants";
  message: string;
  /** Where it applies: a layer, a step, a user. */
  path?: string;
}

export const LINT_HORIZON_DAYS = 28;

const day = 86_400_000;

export function lintSchedule(
  schedule: Schedule,
  now: Date,
  people: { name(userId: string): string; hasContactMethods(userId: string): boolean },
): LintWarning[] {
  const warnings: LintWarning[] = [];
  const until = new Date(now.getTime() + LINT_HORIZON_DAYS * day);
  schedule.layers.forEach((layer, i) => {
    if (layer.participants.length === 0)
      warnings.push({
        code: "no_participants",
        message: `Layer "${layer.name}" has nobody in it`,
        path: `layers.${i}`,
      });
  });
  const gaps = scheduleGaps(schedule, now, until);
  if (gaps.length > 0) {
    const first = gaps[0]!;
    warnings.push({
      code: "schedule_gap",
      message: `Nobody is on call for ${gaps.length} period${gaps.length > 1 ? "s" : ""} in the next ${LINT_HORIZON_DAYS} days, the first from ${first.start.toISOString()} to ${first.end.toISOString()}`,
    });
  }
  const scheduled = new Set(finalShifts(schedule, now, until).map((s) => s.userId));
  for (const layer of schedule.layers) for (const userId of layer.participants) scheduled.add(userId);
  for (const userId of scheduled) {
    if (!people.hasContactMethods(userId))
      warnings.push({
        code: "no_contact_methods",
        message: `${people.name(userId)} is scheduled but has no contact methods: a page cannot reach them`,
        path: `user:${userId}`,
      });
  }
  return warnings;
}

export function lintPolicy(policy: PolicyDefinition, lookup: TargetLookup): LintWarning[] {
  const warnings: LintWarning[] = [];
  policy.steps.forEach((step, i) => {
    const { people, slackChannels } = stepTargets(step, lookup);
    if (people.length === 0 && slackChannels.length === 0)
      warnings.push({
        code: "empty_step",
        message: `Step ${i + 1} would reach nobody right now (it will be skipped at once)`,
        path: `steps.${i}`,
      });
  });
  const postsToChannels = policy.steps.some((s) => s.targets.some((t) => t.type === "slack_channel"));
  const namesPeople = policy.steps.some((s) => s.targets.some((t) => t.type !== "slack_channel"));
  if (postsToChannels && !namesPeople)
    warnings.push({
      code: "channel_only_policy",
      message: "This policy only posts to Slack channels: it pages no person",
    });
  return warnings;
}
