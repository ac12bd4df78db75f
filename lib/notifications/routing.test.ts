import { describe, expect, it } from "vitest";
import { builtInRouting, lintRouting, parseRoutingConfig, RoutingConfigError } from "./routing-config";
import { routeIncident, type ChannelSettings } from "./route-incident";

const everything: ChannelSettings = {
  pagerduty: true,
  slack: { enabled: true, critical: "#incidents-critical", warnings: "#incidents-warnings" },
  email: { enabled: true, to: "oncall@example.com" },
  sms: { enabled: true, to: "+15551234567" },
};
const incident = (
  severity: "P0" | "P1" | "P2" | "P3" | "P4",
  extra: Partial<{ service: string; team: string; labels: Record<string, string> }> = {},
) => ({
  severity,
  service: extra.service ?? null,
  team: extra.team ?? null,
  labels: extra.labels ?? {},
});
const targets = (d: { channel: string; target: string }[]) => d.map((x) => `${x.channel}:${x.target}`);

describe("built-in routing (the seed's)", () => {
  it("pages P0 and P1 through PagerDuty and Slack critical, falling back to email and SMS", () => {
    const decision = routeIncident(builtInRouting, incident("P1"), everything);
    expect(targets(decision.notify)).toEqual(["pagerduty:default", "slack:#incidents-critical"]);
    expect(targets(decision.fallback)).toEqual(["email:oncall@example.com", "sms:+15551234567"]);
    expect(decision.rules).toEqual(["page P0 and P1"]);
  });

  it("sends P2 to Slack critical and P3 to Slack warnings, with email as the fallback, and P4 nowhere", () => {
    expect(targets(routeIncident(builtInRouting, incident("P2"), everything).notify)).toEqual([
      "slack:#incidents-critical",
    ]);
    const p3 = routeIncident(builtInRouting, incident("P3"), everything);
    expect(targets(p3.notify)).toEqual(["slack:#incidents-warnings"]);
    expect(targets(p3.fallback)).toEqual(["email:oncall@example.com"]);
    expect(routeIncident(builtInRouting, incident("P4"), everything)).toEqual({
      rules: [],
      notify: [],
      fallback: [],
      escalation: null,
      skipped: [],
    });
  });

  it("says which channels it could not use, and why", () => {
    const bare: ChannelSettings = {
      pagerduty: false,
      slack: { enabled: true },
      email: { enabled: false },
      sms: { enabled: false },
    };
    const decision = routeIncident(builtInRouting, incident("P0"), bare);
    expect(decision.notify).toEqual([]);
    expect(decision.skipped.map((s) => s.reason)).toEqual([
      "PAGERDUTY_ROUTING_KEY is not set",
      "SLACK_CHANNEL_CRITICAL is not set",
      "SMTP_URL is not set",
      "SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM are not all set",
    ]);
  });
});

describe("routing from YAML", () => {
  const yaml = `
routes:
  - name: payments to their channel
    match: { service: [checkout, payments], labels: { env: prod } }
    notify: [ { slack: "#payments-oncall" } ]
    continue: true
  - name: everything critical
    match: { severity: [P0, P1, P2] }
    notify: [ pagerduty, { email: "sre@example.com" } ]
`;

  it("applies the first matching rule, and the next ones too when it says continue", () => {
    const config = parseRoutingConfig(yaml);
    const decision = routeIncident(
      config,
      incident("P1", { service: "checkout", labels: { env: "prod" } }),
      everything,
    );
    expect(decision.rules).toEqual(["payments to their channel", "everything critical"]);
    expect(targets(decision.notify)).toEqual(["slack:#payments-oncall", "pagerduty:default", "email:sre@example.com"]);
    expect(
      routeIncident(config, incident("P1", { service: "checkout", labels: { env: "staging" } }), everything).rules,
    ).toEqual(["everything critical"]);
  });

  it("names the file, line and path of every mistake", () => {
    const broken = `routes:\n  - name: typo\n    notify:\n      - slak\n  - name: bad severity\n    match: { severity: P7 }\n`;
    try {
      parseRoutingConfig(broken, "vigil.config.yaml");
      throw new Error("expected a RoutingConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(RoutingConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/vigil\.config\.yaml:4 routes\[0\]\.notify\[0\]: /);
      expect(message).toMatch(/vigil\.config\.yaml:6 routes\[1\]\.match\.severity: /);
    }
  });

  it("refuses YAML that does not parse, with the line", () => {
    expect(() => parseRoutingConfig("routes:\n  - name: [unclosed\n", "r.yaml")).toThrow(
      /^r\.yaml:\d+: not valid YAML/,
    );
  });
});

describe("the example routing file", () => {
  it("is valid and is exactly the built-in routing", async () => {
    const { readFileSync } = await import("node:fs");
    expect(parseRoutingConfig(readFileSync("vigil.config.example.yaml", "utf8"))).toEqual(builtInRouting);
  });
});

describe("escalation: in the routing file", () => {
  const yaml = `routes:
  - name: databases
    match: { service: db }
    notify: [pagerduty]
    escalation: Database primary
  - name: web
    match: { service: web }
    notify: [{ slack: critical }]
    escalation: Web
`;

  it("gives the first matching rule's escalation policy beside its channels", () => {
    const config = parseRoutingConfig(yaml);
    expect(routeIncident(config, incident("P1", { service: "db" }), everything).escalation).toEqual({
      policy: "Database primary",
      rule: "databases",
    });
    expect(routeIncident(config, incident("P1", { service: "api" }), everything).escalation).toBeNull();
  });

  it("warns that a rule paging through PagerDuty and an escalation policy may page someone twice", () => {
    expect(lintRouting(parseRoutingConfig(yaml))).toEqual([
      {
        rule: "databases",
        message:
          'Rule "databases" notifies PagerDuty and follows escalation policy "Database primary": both run, so the person on call may be paged twice',
      },
    ]);
  });
});

describe("a route's own PagerDuty service", () => {
  const config = parseRoutingConfig(`routes:
  - name: payments pages its own service
    match: { team: payments }
    notify: [{ pagerduty: { routing_key_env: PAGERDUTY_ROUTING_KEY_PAYMENTS } }]
  - name: everyone else
    notify: [pagerduty]
`);
  const withServices: ChannelSettings = { ...everything, pagerdutyServices: ["PAGERDUTY_ROUTING_KEY_PAYMENTS"] };

  it("triggers the service whose key the route names, by the setting's name, and others the default", () => {
    expect(targets(routeIncident(config, incident("P1", { team: "payments" }), withServices).notify)).toEqual([
      "pagerduty:env:PAGERDUTY_ROUTING_KEY_PAYMENTS",
    ]);
    expect(targets(routeIncident(config, incident("P1", { team: "search" }), withServices).notify)).toEqual([
      "pagerduty:default",
    ]);
  });

  it("says so when the named setting is not set, and refuses a name that is not a PagerDuty key setting", () => {
    const decision = routeIncident(config, incident("P1", { team: "payments" }), everything);
    expect(decision.skipped.map((s) => s.reason)).toEqual(["PAGERDUTY_ROUTING_KEY_PAYMENTS is not set"]);
    expect(() =>
      parseRoutingConfig(`routes:\n  - name: x\n    notify: [{ pagerduty: { routing_key_env: SLACK_BOT_TOKEN } }]\n`),
    ).toThrow(RoutingConfigError);
  });
});
