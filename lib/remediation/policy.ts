// The remediation policy: may this action run now, on this target, for this incident? Pure, so every rule
// is tested without a database. The verbs gather the facts (the runs of the last hour, the incident's
// status, the settings) and record the decision with its reason on the timeline and in the audit log.
//
// In order: the action type must be allowed; a hook's URL must be under an allowed prefix; Kubernetes
// actions stay in the allowed namespaces; automatic
// runs must be switched on and never touch a resolved incident; a dry run changes nothing, so it goes
// ahead; at most N runs per hour per (action type, target), and at most M automatic runs per hour in all
// (alert labels choose an automatic run's target, so whoever can send alerts could otherwise aim restarts
// at every deployment the settings allow); a risky action waits for approval.
import type { ActionType } from "../runbooks/action-types";
import type { RunbookAction } from "../runbooks/runbook-document";
import { namespaceOf, type ActionTarget, type ResolvedAction } from "./action-target";
import { urlAllowed } from "./hook-urls";

export type PolicyStatus = "approved" | "pending_approval" | "rate_limited" | "denied";

export interface PolicySettings {
  allowedActions: readonly ActionType[];
  /** Default limit per (action type, target) and hour; an action's max_per_hour overrides it. */
  maxPerHour: number;
  /** Automatic runs per hour over all actions and targets (REMEDIATION_MAX_AUTO_PER_HOUR). */
  maxAutoPerHour: number;
  /** Namespaces Kubernetes actions may touch; empty: any. */
  namespaces: readonly string[];
  /** Whether runbook actions marked `auto` may run by themselves. */
  auto: boolean;
  /**
   * Where http.post actions may post (REMEDIATION_HTTP_ALLOWED_URLS): URL prefixes, compared by origin and
   * path. Empty: nowhere. Anyone who may edit a runbook can write a URL, so an administrator names the
   * hooks the worker may call (otherwise a runbook could aim the worker at internal services).
   */
  httpAllowedUrls: readonly string[];
}

/**
 * An action as the policy sees it: only what an admin controls (runbook.edit_actions). Its title and
 * description are words a responder may edit, so they never decide whether it needs approval: renaming
 * "Roll back the deploy" to "Restore the deploy" must not lift the approval.
 */
export interface PolicyAction {
  id: string;
  type: ActionType;
  requiresApproval: boolean;
  maxPerHour?: number;
  /** An http.post action's URL as the runbook writes it, before the alert fills it in. */
  urlTemplate?: string;
}

export const policyActionOf = (action: RunbookAction): PolicyAction => ({
  id: action.id,
  type: action.type,
  requiresApproval: action.requires_approval,
  ...(action.max_per_hour !== undefined ? { maxPerHour: action.max_per_hour } : {}),
  ...(action.type === "http.post" ? { urlTemplate: action.params.url } : {}),
});

export interface PolicyRequest {
  action: PolicyAction;
  target: ActionTarget;
  automatic: boolean;
  dryRun: boolean;
  incidentStatus: "open" | "acknowledged" | "investigating" | "resolved";
  /** Runs of the same rate key in the last hour that acted or may still act. */
  recentRuns: number;
  /** Automatic runs of any rate key in the last hour that acted or may still act. */
  recentAutomaticRuns: number;
}

export interface Decision {
  status: PolicyStatus;
  reason: string;
  /** Why the action is risky (it then needs approval), or null. */
  risk: string | null;
}

/**
 * What the settings refuse whoever asks and however often: an action type not allowed, a hook outside the
 * allowed URLs, a namespace outside the allowed ones. The policy asks first; the worker asks again when a
 * run starts, because the settings may have narrowed while the run waited for approval or in the queue.
 */
export function refusedBySettings(actionType: string, params: ResolvedAction, settings: PolicySettings): string | null {
  if (!(settings.allowedActions as readonly string[]).includes(actionType))
    return `${actionType} is not an allowed action here (REMEDIATION_ALLOWED_ACTIONS)`;
  if (params.type === "http.post" && !urlAllowed(params.url, settings.httpAllowedUrls)) {
    return settings.httpAllowedUrls.length === 0
      ? `http.post may not call ${params.url}: no hook URL is allowed yet (REMEDIATION_HTTP_ALLOWED_URLS)`
      : `http.post may not call ${params.url}: it is under none of REMEDIATION_HTTP_ALLOWED_URLS (${settings.httpAllowedUrls.join(", ")})`;
  }
  const namespace = namespaceOf(params);
  if (namespace !== null && settings.namespaces.length > 0 && !settings.namespaces.includes(namespace)) {
    return `namespace ${namespace} is not one remediation may touch (REMEDIATION_NAMESPACES: ${settings.namespaces.join(", ")})`;
  }
  return null;
}

export function decideRemediation(request: PolicyRequest, settings: PolicySettings): Decision {
  const { action, target } = request;
  const risk = riskOf(request);
  const deny = (reason: string): Decision => ({ status: "denied", reason, risk });

  const refused = refusedBySettings(action.type, target.params, settings);
  if (refused) return deny(refused);
  if (request.automatic && !settings.auto) return deny("automatic runs are switched off (REMEDIATION_AUTO=0)");
  if (request.automatic && request.incidentStatus === "resolved")
    return deny("the incident is resolved: nothing runs automatically on a resolved incident");

  const limit = action.maxPerHour ?? settings.maxPerHour;
  const limited = rateLimitReason(request, limit, settings);
  const real: Decision = limited
    ? { status: "rate_limited", reason: limited, risk }
    : risk
      ? { status: "pending_approval", reason: `needs approval: ${risk}`, risk }
      : {
          status: "approved",
          reason: `allowed: run ${request.recentRuns + 1} of at most ${limit} this hour on ${target.target}`,
          risk,
        };
  if (request.dryRun)
    return {
      status: "approved",
      reason: `dry run, nothing is changed (a real run would be ${real.status.replace("_", " ")}: ${real.reason})`,
      risk,
    };
  return real;
}

/** Why an hourly limit stops this run, or null: per (action type, target), and for automatic runs over all targets. */
function rateLimitReason(request: PolicyRequest, limit: number, settings: PolicySettings): string | null {
  const { action, target, recentRuns, recentAutomaticRuns } = request;
  if (recentRuns >= limit)
    return `${recentRuns} run${recentRuns === 1 ? "" : "s"} of ${action.type} on ${target.target} in the last hour; at most ${limit} per hour`;
  if (request.automatic && recentAutomaticRuns >= settings.maxAutoPerHour) {
    return `${recentAutomaticRuns} automatic runs in the last hour over all targets; at most ${settings.maxAutoPerHour} per hour (REMEDIATION_MAX_AUTO_PER_HOUR)`;
  }
  return null;
}

// Names of database software, as words of a deployment, pod or namespace name ("orders-postgres-0",
// "checkout-db"): restarting one of those can lose connections, transactions or a primary, so a person
// decides. The list errs towards asking.
const databaseWords = new Set([
  "db",
  "database",
  "postgres",
  "postgresql",
  "pg",
  "pgbouncer",
  "mysql",
  "mariadb",
  "mongo",
  "mongodb",
  "redis",
  "valkey",
  "memcached",
  "cassandra",
  "scylla",
  "elasticsearch",
  "opensearch",
  "etcd",
  "kafka",
  "zookeeper",
  "clickhouse",
  "cockroachdb",
  "timescaledb",
  "vitess",
  "patroni",
]);
const rollbackPattern = /\broll[\s_-]?back|\brevert\b|\bundo\b/i;

/**
 * Why an action is risky enough to need a person's approval, or null. From what admins write (the
 * approval flag, the action's id, type and parameters) and the target the alert fills in, never from the
 * title: a runbook that relied on its title saying "roll back" must set `requires_approval: true`.
 */
export function riskOf(request: Pick<PolicyRequest, "action" | "target">): string | null {
  const { action, target } = request;
  if (action.requiresApproval) return "the runbook marks this action as needing approval";
  const url = target.params.type === "http.post" ? target.params.url : "";
  if ([action.id, action.urlTemplate ?? "", url].some((text) => rollbackPattern.test(text))) return "it is a rollback";
  const names = [
    namespaceOf(target.params),
    "deployment" in target.params ? target.params.deployment : null,
    "pod" in target.params ? target.params.pod : null,
  ];
  const database = names.find((name) => name?.split(/[-._]/).some((word) => databaseWords.has(word.toLowerCase())));
  if (database && action.type !== "http.post")
    return `it ${action.type === "k8s.scale" ? "scales" : "restarts"} a database (${target.target})`;
  if (target.params.type === "k8s.scale" && target.params.replicas === 0)
    return `it scales ${target.target} to zero replicas`;
  return null;
}

export interface Approver {
  role: "viewer" | "responder" | "admin";
  /** The stable identity of the person (user id), to tell the requester from a second person. */
  personId: string | null;
  /** A person signed in (in the app or in Slack), not an API token or automation. */
  isPerson: boolean;
}

/**
 * Whether this person may approve or reject a run: admins may; with the two-person rule a responder may
 * too, and nobody decides on their own request. Under that rule only a person decides: an API token says
 * nothing about who holds it, so the requester could approve their own run with one.
 */
export function approvalRight(
  approver: Approver,
  requesterId: string | null,
  twoPerson: boolean,
): { allowed: true } | { allowed: false; reason: string } {
  const own = approver.personId !== null && approver.personId === requesterId;
  if (twoPerson && !approver.isPerson)
    return {
      allowed: false,
      reason:
        "the two-person rule is on: a person signed in to Vigil or Slack must approve or reject, not an API token",
    };
  if (twoPerson && own)
    return {
      allowed: false,
      reason: "the two-person rule is on: someone other than the requester must approve or reject",
    };
  if (approver.role === "admin") return { allowed: true };
  if (approver.role === "responder" && twoPerson) return { allowed: true };
  return {
    allowed: false,
    reason: `your role (${approver.role}) may not approve remediations${twoPerson ? "" : "; admins approve (or a second responder, with REMEDIATION_TWO_PERSON=1)"}`,
  };
}
