// The policy preview: "an incident at T would page whom, when", walking the steps with the engine's own
// resolveStepTargets. Each step is resolved at the moment it would run (a schedule's answer then), empty
// steps are skipped at once as the engine does, and the walk ends when the policy and its repeats do.
import { resolveStepTargets, type PolicyDefinition, type TargetLookup } from "@/lib/oncall/escalation-policy";

export interface PreviewPage {
  at: string;
  step: number;
  pass: number;
  people: { userId: string; scheduleId: string | null }[];
  slackChannels: string[];
  /** Steps skipped at once just before this one, with why. */
  skipped: { step: number; pass: number; reason: string }[];
}

export async function previewPolicy(
  policy: PolicyDefinition,
  at: Date,
  lookupAt: (t: Date) => Promise<TargetLookup>,
): Promise<{ pages: PreviewPage[]; trailingSkipped: PreviewPage["skipped"] }> {
  const pages: PreviewPage[] = [];
  let position = { step: 0, pass: 0 };
  let t = at;
  for (let guard = 0; guard <= policy.steps.length * (policy.repeat + 1); guard++) {
    const { next, skipped } = resolveStepTargets(policy, position, await lookupAt(t));
    if (!next) return { pages, trailingSkipped: skipped };
    pages.push({
      at: t.toISOString(),
      step: next.step,
      pass: next.pass,
      people: next.people.map((p) => ({
        userId: p.userId,
        scheduleId: p.via.type === "schedule" ? p.via.scheduleId : null,
      })),
      slackChannels: next.slackChannels,
      skipped,
    });
    t = new Date(t.getTime() + policy.steps[next.step]!.delay_minutes * 60_000);
    position = { step: next.step + 1, pass: next.pass };
  }
  return { pages, trailingSkipped: [] };
}
