// Notification routing, kept in Git as YAML (VIGIL_CONFIG, default vigil.config.yaml). Rules are read
// top to bottom like Alertmanager's routes: the first rule whose `match` fits the incident decides who
// is notified, unless it says `continue: true`. Without a file, the built-in routing applies:
// P0/P1 -> PagerDuty and Slack critical; P2 -> Slack critical; P3 -> Slack warnings; email is the
// fallback for everything and SMS for P0/P1.
import { existsSync, readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { severities } from "../incidents/schemas";

const ChannelSpec = z.union([
  z.enum(["pagerduty", "slack", "email", "sms"]),
  z.strictObject({
    slack: z
      .string()
      .min(1)
      .describe('"critical", "warnings" (the SLACK_CHANNEL_* defaults), "#channel" or a channel id'),
  }),
  z.strictObject({
    pagerduty: z.strictObject({
      routing_key_env: z
        .string()
        .regex(/^PAGERDUTY_ROUTING_KEY_[A-Z0-9_]+$/, "the name of a setting PAGERDUTY_ROUTING_KEY_<SERVICE>")
        .describe("The setting holding this PagerDuty service's integration key (never the key itself)"),
    }),
  }),
  z.strictObject({ email: z.email() }),
  z.strictObject({ sms: z.string().regex(/^\+[1-9]\d{6,14}$/, "a phone number in E.164 form, like +15551234567") }),
]);
export type ChannelSpec = z.infer<typeof ChannelSpec>;

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

const RouteRule = z.strictObject({
  name: z.string().trim().min(1).max(100),
  match: z
    .strictObject({
      severity: oneOrMany(z.enum(severities)).optional(),
      service: oneOrMany(z.string().min(1)).optional(),
      team: oneOrMany(z.string().min(1)).optional(),
      labels: z.record(z.string(), oneOrMany(z.string())).optional(),
    })
    .default({}),
  notify: z.array(ChannelSpec).default([]),
  fallback: z.array(ChannelSpec).default([]),
  // The escalation policy (by name) incidents of this rule follow; checked against the stored policies
  // when the worker starts and in the dry run (lib/oncall/routing-policies.ts).
  escalation: z.string().trim().min(1).max(100).optional(),
  continue: z.boolean().default(false),
});
export type RouteRule = z.infer<typeof RouteRule>;

export const RoutingConfig = z.strictObject({ routes: z.array(RouteRule) });
export type RoutingConfig = z.infer<typeof RoutingConfig>;

export const builtInRouting: RoutingConfig = RoutingConfig.parse({
  routes: [
    {
      name: "page P0 and P1",
      match: { severity: ["P0", "P1"] },
      notify: ["pagerduty", { slack: "critical" }],
      fallback: ["email", "sms"],
    },
    { name: "P2 to Slack critical", match: { severity: "P2" }, notify: [{ slack: "critical" }], fallback: ["email"] },
    { name: "P3 to Slack warnings", match: { severity: "P3" }, notify: [{ slack: "warnings" }], fallback: ["email"] },
  ],
});

export class RoutingConfigError extends Error {}

/** The routing in force: the file when it exists, else the built-in routing. */
export function loadRoutingConfig(path: string): { config: RoutingConfig; source: string } {
  if (!existsSync(path)) return { config: builtInRouting, source: "built-in (no routing file)" };
  return { config: parseRoutingConfig(readFileSync(path, "utf8"), path), source: path };
}

/** Parses and validates; every error names the file, line and path of what is wrong. */
export function parseRoutingConfig(text: string, fileName = "routing"): RoutingConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new RoutingConfigError(`${fileName}:${line}: not valid YAML: ${first.message.split("\n")[0]}`);
  }
  const result = RoutingConfig.safeParse(doc.toJS());
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const node = doc.getIn(issue.path, true) as { range?: [number, number] } | undefined;
    const parentNode = doc.getIn(issue.path.slice(0, -1), true) as { range?: [number, number] } | undefined;
    const offset = node?.range?.[0] ?? parentNode?.range?.[0];
    const where = offset === undefined ? fileName : `${fileName}:${lineCounter.linePos(offset).line}`;
    return `${where} ${formatPath(issue.path)}: ${issue.message}`;
  });
  throw new RoutingConfigError(`Invalid routing configuration:\n  ${problems.join("\n  ")}`);
}

export interface RoutingWarning {
  rule: string;
  message: string;
}

/** What a routing file does that is allowed but probably not meant. */
export function lintRouting(config: RoutingConfig): RoutingWarning[] {
  return config.routes.flatMap((rule) =>
    rule.escalation && rule.notify.includes("pagerduty")
      ? [
          {
            rule: rule.name,
            message: `Rule "${rule.name}" notifies PagerDuty and follows escalation policy "${rule.escalation}": both run, so the person on call may be paged twice`,
          },
        ]
      : [],
  );
}

function formatPath(path: PropertyKey[]): string {
  return (
    path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("") ||
    "(top level)"
  );
}
