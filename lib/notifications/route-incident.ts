// Who is told about an incident, and by which rule: a pure function of the routing rules, the
// incident's severity, service, team and labels, and which channels are configured.
import type { Severity } from "../incidents/schemas";
import type { ChannelSpec, RouteRule, RoutingConfig } from "./routing-config";

export const channels = ["pagerduty", "slack", "email", "sms"] as const;
export type Channel = (typeof channels)[number];

export interface Delivery {
  channel: Channel;
  /**
   * pagerduty: "default" (PAGERDUTY_ROUTING_KEY) or "env:PAGERDUTY_ROUTING_KEY_<SERVICE>" (a route's own
   * service; the incident's open row keeps it, so its acknowledge and resolve go there too); slack: a
   * channel; email: an address; sms: a number.
   */
  target: string;
  rule: string;
}

export interface ChannelSettings {
  pagerduty: boolean;
  /** The PAGERDUTY_ROUTING_KEY_<SERVICE> settings that are set (names only). */
  pagerdutyServices?: string[];
  slack: { enabled: boolean; critical?: string; warnings?: string };
  email: { enabled: boolean; to?: string };
  sms: { enabled: boolean; to?: string };
}

export interface RoutedIncident {
  severity: Severity;
  service: string | null;
  team: string | null;
  labels: Record<string, string>;
}

export interface RoutingDecision {
  rules: string[];
  notify: Delivery[];
  fallback: Delivery[];
  /** The escalation policy the first matching rule that names one gives (by name), else null. */
  escalation: { policy: string; rule: string } | null;
  /** Channels a rule names that cannot be used, and why (shown by the dry run). */
  skipped: { channel: Channel; rule: string; reason: string }[];
}

export function matches(rule: RouteRule, incident: RoutedIncident): boolean {
  return matchesSelector(rule.match, incident);
}

/** Whether every condition of a selector holds (each lists the values it accepts); maintenance windows use it too. */
export function matchesSelector(
  selector: RouteRule["match"],
  incident: Pick<RoutedIncident, "service" | "team" | "labels"> & Partial<Pick<RoutedIncident, "severity">>,
): boolean {
  const { severity, service, team, labels } = selector;
  if (severity && (!incident.severity || !severity.includes(incident.severity))) return false;
  if (service && (!incident.service || !service.includes(incident.service))) return false;
  if (team && (!incident.team || !team.includes(incident.team))) return false;
  for (const [name, values] of Object.entries(labels ?? {})) {
    const value = incident.labels[name];
    if (value === undefined || !values.includes(value)) return false;
  }
  return true;
}

export function routeIncident(
  config: RoutingConfig,
  incident: RoutedIncident,
  settings: ChannelSettings,
): RoutingDecision {
  const decision: RoutingDecision = { rules: [], notify: [], fallback: [], escalation: null, skipped: [] };
  for (const rule of config.routes) {
    if (!matches(rule, incident)) continue;
    decision.rules.push(rule.name);
    if (rule.escalation && !decision.escalation) decision.escalation = { policy: rule.escalation, rule: rule.name };
    for (const spec of rule.notify) addDelivery(decision, decision.notify, spec, rule.name, settings);
    for (const spec of rule.fallback) addDelivery(decision, decision.fallback, spec, rule.name, settings);
    if (!rule.continue) break;
  }
  return decision;
}

function addDelivery(
  decision: RoutingDecision,
  list: Delivery[],
  spec: ChannelSpec,
  rule: string,
  settings: ChannelSettings,
) {
  const resolved = resolveChannel(spec, settings);
  if ("reason" in resolved) {
    decision.skipped.push({ channel: resolved.channel, rule, reason: resolved.reason });
    return;
  }
  const known = [...decision.notify, ...decision.fallback].some(
    (d) => d.channel === resolved.channel && d.target === resolved.target,
  );
  if (!known) list.push({ ...resolved, rule });
}

function resolveChannel(
  spec: ChannelSpec,
  s: ChannelSettings,
): { channel: Channel; target: string } | { channel: Channel; reason: string } {
  if (typeof spec === "object" && "pagerduty" in spec) {
    const name = spec.pagerduty.routing_key_env;
    return s.pagerdutyServices?.includes(name)
      ? { channel: "pagerduty", target: `env:${name}` }
      : { channel: "pagerduty", reason: `${name} is not set` };
  }
  if (spec === "pagerduty")
    return s.pagerduty
      ? { channel: "pagerduty", target: "default" }
      : { channel: "pagerduty", reason: "PAGERDUTY_ROUTING_KEY is not set" };
  if (spec === "slack" || (typeof spec === "object" && "slack" in spec)) {
    if (!s.slack.enabled) return { channel: "slack", reason: "SLACK_BOT_TOKEN is not set" };
    const name = spec === "slack" ? "critical" : spec.slack;
    const target = name === "critical" ? s.slack.critical : name === "warnings" ? s.slack.warnings : name;
    return target
      ? { channel: "slack", target }
      : { channel: "slack", reason: `SLACK_CHANNEL_${name.toUpperCase()} is not set` };
  }
  if (spec === "email" || (typeof spec === "object" && "email" in spec)) {
    if (!s.email.enabled) return { channel: "email", reason: "SMTP_URL is not set" };
    const target = spec === "email" ? s.email.to : spec.email;
    return target ? { channel: "email", target } : { channel: "email", reason: "ALERT_EMAIL_TO is not set" };
  }
  if (!s.sms.enabled) return { channel: "sms", reason: "SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM are not all set" };
  const target = spec === "sms" ? s.sms.to : spec.sms;
  return target ? { channel: "sms", target } : { channel: "sms", reason: "SMS_TO is not set" };
}
