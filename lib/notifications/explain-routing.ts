// The admin's view of notification routing: the rules in force, which channels are usable, and a dry
// run — for an incident, or for a pasted Alertmanager payload — saying who would be notified, by which rule.
import { z } from "zod";
import { readAlertmanagerPayload } from "../alerts/alertmanager-payload";
import { incidentFromAlerts, type AlertFieldSettings } from "../alerts/incident-from-alerts";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { AppError } from "../errors";
import { findIncident, toIncident } from "../incidents/incident-store";
import { parseInput } from "../input";
import { routeIncident, type RoutedIncident, type RoutingDecision } from "./route-incident";
import { lintRouting, type RouteRule, type RoutingWarning } from "./routing-config";
import { choosePolicy, type PolicySource } from "../oncall/escalation-policy";
import { defaultPolicyName } from "../oncall/policies";
import { assertRoutingPoliciesExist } from "../oncall/routing-policies";
import type { NotificationSettings } from "./settings";

export interface EffectiveRouting {
  source: string;
  routes: RouteRule[];
  channels: { channel: string; ready: boolean; detail: string }[];
  /** What the file allows but probably does not mean (a rule that may page someone twice). */
  warnings: RoutingWarning[];
}

export function effectiveRouting({
  ctx,
  settings,
}: VerbArgs<unknown> & { settings: NotificationSettings }): EffectiveRouting {
  authorize(ctx.actor, "routing.read");
  const c = settings.channels;
  return {
    source: settings.routingSource,
    routes: settings.routing.routes,
    warnings: lintRouting(settings.routing),
    channels: [
      {
        channel: "pagerduty",
        ready: c.pagerduty,
        detail: c.pagerduty ? "PAGERDUTY_ROUTING_KEY set" : "PAGERDUTY_ROUTING_KEY is not set",
      },
      {
        channel: "slack",
        ready: c.slack.enabled,
        detail: c.slack.enabled
          ? `critical: ${c.slack.critical ?? "(not set)"}, warnings: ${c.slack.warnings ?? "(not set)"}`
          : "SLACK_BOT_TOKEN is not set",
      },
      {
        channel: "email",
        ready: c.email.enabled,
        detail: c.email.enabled ? `to ${c.email.to ?? "(ALERT_EMAIL_TO not set)"}` : "SMTP_URL is not set",
      },
      {
        channel: "sms",
        ready: c.sms.enabled,
        detail: c.sms.enabled
          ? `to ${c.sms.to ?? "(SMS_TO not set)"}`
          : "SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM are not all set",
      },
    ],
  };
}

export const DryRunInput = z.union([
  z.strictObject({ incident: z.string().min(1).max(64) }),
  // Strict at the top; the payload inside is Alertmanager's, read as leniently as the webhook reads it.
  z.strictObject({ alertmanager_payload: z.unknown() }),
]);

export interface DryRunResult {
  /** What routing looked at. */
  incident: RoutedIncident & { ref?: string; title: string };
  decision: RoutingDecision;
  /** The escalation policy the incident would follow and why (the integration's comes with alert sources). */
  escalation: { policy: string; source: PolicySource } | null;
  warnings: RoutingWarning[];
}

export async function dryRunRouting({
  ctx,
  input,
  settings,
  alertSettings,
}: VerbArgs<z.input<typeof DryRunInput>> & {
  settings: NotificationSettings;
  alertSettings: AlertFieldSettings;
}): Promise<DryRunResult> {
  authorize(ctx.actor, "routing.read");
  const request = parseInput(DryRunInput, input, "dry run");
  await assertRoutingPoliciesExist(ctx.db, settings.routing, settings.routingSource);
  let subject: DryRunResult["incident"];
  if ("incident" in request) {
    const incident = await toIncident(ctx.db, await findIncident(ctx.db, request.incident));
    subject = {
      ref: incident.ref,
      title: incident.title,
      severity: incident.severity,
      service: incident.service,
      team: incident.team,
      labels: incident.labels,
    };
  } else {
    const batch = readAlertmanagerPayload(request.alertmanager_payload, ctx.now);
    const firing = batch.alerts.filter((a) => a.status === "firing");
    if (firing.length === 0)
      throw new AppError("invalid", "The payload has no firing alert, so it would open no incident", {
        fieldErrors: [{ path: "alertmanager_payload.alerts", message: "no firing alert" }],
      });
    const fields = incidentFromAlerts(batch, firing, alertSettings);
    subject = {
      title: fields.title,
      severity: fields.severity,
      service: fields.service,
      team: fields.team,
      labels: fields.labels,
    };
  }
  const decision = routeIncident(settings.routing, subject, settings.channels);
  const chosen = choosePolicy({ routing: decision.escalation?.policy, defaultPolicy: await defaultPolicyName(ctx.db) });
  return {
    incident: subject,
    decision,
    escalation: chosen ? { policy: chosen.name, source: chosen.source } : null,
    warnings: lintRouting(settings.routing),
  };
}
