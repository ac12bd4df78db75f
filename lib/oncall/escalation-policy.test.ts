import { describe, expect, it } from "vitest";
import { choosePolicy, EscalationPolicyFields, resolveStepTargets, type PolicyDefinition } from "./escalation-policy";
import { lintPolicy, lintSchedule } from "./lint";
import { ContactMethodFields, urgencyOf } from "./contact-methods";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const PRIMARY = "00000000-0000-4000-8000-0000000000c1";
const EMPTY = "00000000-0000-4000-8000-0000000000c2";

const lookup = {
  onCall: (id: string) => (id === PRIMARY ? [A] : []),
  userActive: (id: string) => id === A || id === B,
};

const policy = (steps: PolicyDefinition["steps"], repeat = 0): PolicyDefinition => ({
  id: "p",
  name: "p",
  repeat,
  steps,
});

describe("resolveStepTargets", () => {
  it("reaches whoever the schedule has on call, then the next step's people", () => {
    const p = policy([
      { delay_minutes: 15, delivery: "everyone", targets: [{ type: "schedule", schedule_id: PRIMARY }] },
      {
        delay_minutes: 15,
        delivery: "everyone",
        targets: [
          { type: "user", user_id: B },
          { type: "slack_channel", channel: "#ops" },
        ],
      },
    ]);
    expect(resolveStepTargets(p, { step: 0, pass: 0 }, lookup).next).toEqual({
      step: 0,
      pass: 0,
      people: [{ userId: A, via: { type: "schedule", scheduleId: PRIMARY } }],
      slackChannels: [],
    });
    expect(resolveStepTargets(p, { step: 1, pass: 0 }, lookup).next).toMatchObject({
      people: [{ userId: B, via: { type: "direct" } }],
      slackChannels: ["#ops"],
    });
  });

  it("skips an empty step at once and says why", () => {
    const p = policy([
      { delay_minutes: 15, delivery: "everyone", targets: [{ type: "schedule", schedule_id: EMPTY }] },
      { delay_minutes: 15, delivery: "everyone", targets: [{ type: "user", user_id: B }] },
    ]);
    const { next, skipped } = resolveStepTargets(p, { step: 0, pass: 0 }, lookup);
    expect(next).toMatchObject({ step: 1, people: [{ userId: B }] });
    expect(skipped).toEqual([
      { step: 0, pass: 0, reason: "Nobody to page: 1 schedule with nobody on call; skipped at once" },
    ]);
  });

  it("repeats the policy, then is exhausted", () => {
    const p = policy([{ delay_minutes: 5, delivery: "everyone", targets: [{ type: "user", user_id: A }] }], 1);
    expect(resolveStepTargets(p, { step: 1, pass: 0 }, lookup).next).toMatchObject({ step: 0, pass: 1 });
    expect(resolveStepTargets(p, { step: 1, pass: 1 }, lookup)).toEqual({ next: null, skipped: [] });
  });

  it("round robin picks one person, turning each time", () => {
    const p = policy([
      {
        delay_minutes: 5,
        delivery: "round_robin",
        targets: [
          { type: "user", user_id: A },
          { type: "user", user_id: B },
        ],
      },
    ]);
    expect(resolveStepTargets(p, { step: 0, pass: 0 }, lookup, 0).next!.people.map((x) => x.userId)).toEqual([A]);
    expect(resolveStepTargets(p, { step: 0, pass: 0 }, lookup, 1).next!.people.map((x) => x.userId)).toEqual([B]);
  });
});

describe("choosePolicy", () => {
  it("takes the integration's, then the routing rule's, then the default policy", () => {
    expect(choosePolicy({ integration: "db", routing: "web", defaultPolicy: "all" })).toEqual({
      name: "db",
      source: "integration",
    });
    expect(choosePolicy({ routing: "web", defaultPolicy: "all" })).toEqual({ name: "web", source: "routing" });
    expect(choosePolicy({ defaultPolicy: "all" })).toEqual({ name: "all", source: "default" });
    expect(choosePolicy({})).toBeNull();
  });
});

describe("policy and contact validation", () => {
  it("refuses repeats above 9 and a step without targets", () => {
    const verdict = EscalationPolicyFields.safeParse({
      name: "x",
      repeat: 10,
      steps: [{ delay_minutes: 5, targets: [] }],
    });
    expect(verdict.success).toBe(false);
    expect(verdict.error!.issues.map((i) => i.path.join("."))).toEqual(["repeat", "steps.0.targets"]);
  });

  it("checks each contact method's format for its kind", () => {
    expect(ContactMethodFields.safeParse({ kind: "sms", value: "+447700900123" }).success).toBe(true);
    expect(ContactMethodFields.safeParse({ kind: "voice", value: "07700 900123" }).error!.issues[0]!.path).toEqual([
      "value",
    ]);
    expect(ContactMethodFields.safeParse({ kind: "slack", value: "U024BE7LH" }).success).toBe(true);
    expect(ContactMethodFields.safeParse({ kind: "email", value: "not-an-address" }).success).toBe(false);
    expect(urgencyOf("P1")).toBe("high");
    expect(urgencyOf("P2")).toBe("low");
  });
});

describe("lint", () => {
  it("warns of an empty step and of a policy that only posts to a channel", () => {
    const empty = policy([
      { delay_minutes: 5, delivery: "everyone", targets: [{ type: "schedule", schedule_id: EMPTY }] },
    ]);
    expect(lintPolicy(empty, lookup).map((w) => w.code)).toEqual(["empty_step"]);
    const channelOnly = policy([
      { delay_minutes: 5, delivery: "everyone", targets: [{ type: "slack_channel", channel: "#ops" }] },
    ]);
    expect(lintPolicy(channelOnly, lookup).map((w) => w.code)).toEqual(["channel_only_policy"]);
  });

  it("warns of a gap ahead and of a scheduled person without contact methods", () => {
    const schedule = {
      timeZone: "UTC",
      layers: [
        {
          id: "l",
          name: "weekdays",
          anchor: "2026-01-05T09:00",
          interval: { unit: "weeks" as const, count: 1 },
          participants: [A, B],
          restrictions: [{ days: [0, 1, 2, 3, 4], start: "09:00", end: "17:00" }],
        },
      ],
      overrides: [],
    };
    const warnings = lintSchedule(schedule, new Date("2026-02-02T00:00:00Z"), {
      name: (id) => (id === A ? "Alice" : "Bob"),
      hasContactMethods: (id) => id === A,
    });
    expect(warnings.map((w) => w.code)).toEqual(["schedule_gap", "no_contact_methods"]);
    expect(warnings[1]!.message).toContain("Bob");
  });
});
