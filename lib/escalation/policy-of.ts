// Which policy an incident follows (its integration's, its routing rule's, else the default), and the
// definition a running escalation steps through (its stored policy, or the steps of a reassignment).
import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { escalationPolicies, integrations, timelineEvents, type EscalationRow, type IncidentRow } from "@/db/schema";
import { choosePolicy, type PolicyDefinition } from "../oncall/escalation-policy";
import { defaultPolicyName, toPolicyDefinition } from "../oncall/policies";
import { routeIncident } from "../notifications/route-incident";
import type { NotificationSettings } from "../notifications/settings";

export interface PolicyChoice {
  policy: PolicyDefinition;
  /** integration, routing, default or reassigned. */
  source: string;
  /** Why, for the timeline: "from routing rule “db”". */
  why: string;
  /** Set when the run follows no stored policy. */
  adhoc?: boolean;
}

/** The integration that opened the incident, from its `created` event (set by lib/intake/receive.ts). */
async function integrationPolicy(db: DbOrTx, incidentId: string): Promise<{ policy: string; name: string } | null> {
  const [row] = await db
    .select({ policy: integrations.escalationPolicy, name: integrations.name })
    .from(timelineEvents)
    .innerJoin(integrations, sql`${integrations.id}::text = ${timelineEvents.data} ->> 'integration_id'`)
    .where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, "created")))
    .orderBy(desc(timelineEvents.id))
    .limit(1);
  return row?.policy ? { policy: row.policy, name: row.name } : null;
}

export async function policyByName(db: DbOrTx, name: string): Promise<PolicyDefinition | null> {
  const [row] = await db
    .select()
    .from(escalationPolicies)
    .where(sql`lower(${escalationPolicies.name}) = lower(${name})`);
  return row ? toPolicyDefinition(row) : null;
}

/** First match wins; a name that names no policy is an error the caller puts on the timeline. */
export async function choosePolicyFor(
  db: DbOrTx,
  incident: IncidentRow,
  settings: Pick<NotificationSettings, "routing" | "channels">,
): Promise<PolicyChoice | { missing: string; why: string } | null> {
  const integration = await integrationPolicy(db, incident.id);
  const routing = routeIncident(settings.routing, incident, settings.channels).escalation;
  const chosen = choosePolicy({
    integration: integration?.policy,
    routing: routing?.policy,
    defaultPolicy: await defaultPolicyName(db),
  });
  if (!chosen) return null;
  const why =
    chosen.source === "integration"
      ? `from integration “${integration!.name}”`
      : chosen.source === "routing"
        ? `from routing rule “${routing!.rule}”`
        : "the default policy";
  const policy = await policyByName(db, chosen.name);
  return policy ? { policy, source: chosen.source, why } : { missing: chosen.name, why };
}

/** The policy a running escalation follows now; null when its stored policy was deleted. */
export async function runningPolicy(db: DbOrTx, escalation: EscalationRow): Promise<PolicyDefinition | null> {
  if (escalation.adhocPolicy) return { id: escalation.id, name: escalation.policyName, ...escalation.adhocPolicy };
  if (!escalation.policyId) return null;
  const [row] = await db.select().from(escalationPolicies).where(eq(escalationPolicies.id, escalation.policyId));
  return row ? toPolicyDefinition(row) : null;
}
