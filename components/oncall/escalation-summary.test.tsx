import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { IncidentEscalation } from "@/lib/escalation/read-escalation";
import { EscalationSummary } from "./escalation-summary";

type Run = NonNullable<IncidentEscalation["escalation"]>;
const run = (overrides: Partial<Run> = {}): Run => ({
  id: "6f9619ff-8b86-4011-b42d-00cf4fc964f0",
  policy_id: "6f9619ff-8b86-4011-b42d-00cf4fc964f1",
  policy_name: "checkout",
  policy_source: "routing",
  urgency: "high",
  state: "active",
  step: 2,
  pass: 1,
  steps_per_pass: 2,
  passes: 1,
  next_step_at: "2026-12-07T09:30:00.000Z",
  started_at: "2026-12-07T09:00:00.000Z",
  ended_at: null,
  ended_reason: null,
  ...overrides,
});
const text = (escalation: IncidentEscalation) =>
  renderToStaticMarkup(<EscalationSummary escalation={escalation} />).replace(/<[^>]+>/g, "");

describe("EscalationSummary", () => {
  it("says which policy, why, and which step is next when", () => {
    const shown = text({
      escalation: run(),
      earlier_runs: 0,
      pages: [
        {
          id: "6f9619ff-8b86-4011-b42d-00cf4fc964f2",
          step: 1,
          pass: 1,
          user_id: "6f9619ff-8b86-4011-b42d-00cf4fc964f3",
          name: "Bob Responder",
          channel: null,
          schedule_name: "primary on-call",
          method: "sms",
          status: "sent",
          due_at: "2026-12-07T09:00:00.000Z",
          sent_at: "2026-12-07T09:00:02.000Z",
          bundled: false,
        },
      ],
    });
    expect(shown).toContain("Escalation by policy checkout (its routing rule; high urgency)");
    expect(shown).toContain("Escalating: step 2 next at 09:30:00 UTC");
    expect(shown).toContain("Bob Responderby SMS(step 1, primary on-call)sent09:00:02 UTC");
  });

  it("says why a run stopped, and that an exhausted one paged every pass", () => {
    const stopped = run({
      state: "stopped",
      ended_reason: "acknowledged by Bob from Slack",
      ended_at: "2026-12-07T09:04:00.000Z",
    });
    expect(text({ escalation: stopped, earlier_runs: 0, pages: [] })).toContain(
      "Stopped: acknowledged by Bob from Slack at 09:04:00 UTC",
    );
    expect(text({ escalation: run({ state: "exhausted", passes: 3 }), earlier_runs: 0, pages: [] })).toContain(
      "Exhausted: every step of all 3 passes ran and nobody acknowledged",
    );
  });

  it("says so when no policy applies", () => {
    expect(text({ escalation: null, earlier_runs: 0, pages: [] })).toBe(
      "No escalation policy applies to this incident.",
    );
  });
});
