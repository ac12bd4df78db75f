// The one table of who may do what. Every verb calls `authorize` before it touches data; the UI asks
// `can` to hide what a role cannot do (the server refuses it anyway). A scoped API token may do only what
// both its role and its scope allow.
import { AppError } from "../errors";
import type { Actor } from "../context";
import type { Role } from "./roles";
import type { TokenScope } from "./token-scopes";

const everyone: readonly Role[] = ["viewer", "responder", "admin"];
const responders: readonly Role[] = ["responder", "admin"];
const admins: readonly Role[] = ["admin"];

export const permissions = {
  "incident.read": everyone,
  "incident.create": responders,
  "incident.update": responders,
  "incident.acknowledge": responders,
  "incident.set_status": responders,
  "incident.resolve": responders,
  "incident.reopen": responders,
  "incident.add_timeline_event": responders,
  "alert.ingest": responders,
  "api_token.manage": admins,
  "integration.manage": admins,
  "user.manage": admins,
  "audit.read": admins,
  "routing.read": admins,
  // Runbooks: everyone reads; responders edit (every edit is a new version with its author), but what a
  // runbook lets remediation do (its actions, and which alerts a runbook with actions matches) only admins
  // change: else a responder could lift an action's approval and then request it. Remediation: responders
  // request, admins approve; with REMEDIATION_TWO_PERSON=1 a second responder (a person) may approve too.
  "runbook.read": everyone,
  "runbook.edit": responders,
  "runbook.edit_actions": admins,
  // A regular-expression matcher (=~, !~) runs on every alert ingested; RE2 keeps it linear, and only
  // admins write one.
  "runbook.edit_regex_matchers": admins,
  "remediation.read": everyone,
  "remediation.request": responders,
  "remediation.approve": admins,
  "remediation.approve_as_second_person": responders,
  // Postmortems: everyone reads; the responders who worked the incident write, publish and file tickets.
  // Publishing is its own action so an operator can narrow it (to admins, say) in this one line.
  "postmortem.read": everyone,
  "postmortem.edit": responders,
  "postmortem.publish": responders,
  "analytics.read": everyone,
  // On-call: everyone reads schedules, policies and who is on call; people edit their own contact methods
  // and rules, and responders make overrides (swaps); admins edit schedules, policies and anyone's details.
  "oncall.read": everyone,
  "oncall.edit_own": responders,
  "oncall.override": responders,
  "oncall.manage": admins,
  // Maintenance windows and snoozes mute paging: responders (who plan the deploys and carry the pager)
  // create and end them, like Alertmanager silences; deleting one erases it from the lists, so admins only.
  "maintenance.read": everyone,
  "maintenance.manage": responders,
  "maintenance.delete": admins,
  "incident.snooze": responders,
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof permissions;

/** What a scoped API token may do at most (and never more than its role); `full` is the role alone. */
export const scopedActions: Record<Exclude<TokenScope, "full">, readonly Action[]> = {
  "alerts:write": ["alert.ingest"],
};

export function can(role: Role, action: Action): boolean {
  return (permissions[action] as readonly Role[]).includes(role);
}

export function authorize(actor: Actor, action: Action): void {
  if (actor.type === "apiToken" && actor.scope !== "full" && !scopedActions[actor.scope].includes(action)) {
    throw new AppError(
      "forbidden",
      `This API token's scope (${actor.scope}) does not allow ${action}; it allows only ${scopedActions[actor.scope].join(", ")}`,
    );
  }
  if (!can(actor.role, action)) {
    throw new AppError("forbidden", `Your role (${actor.role}) does not allow ${action}`);
  }
}
