// The routing file names escalation policies (`escalation: <name>`); a name that names no stored policy
// is refused where it is written: the worker will not start with it, and the dry run answers with it.
import type { DbOrTx } from "@/db/client";
import { AppError, type FieldError } from "../errors";
import type { RoutingConfig } from "../notifications/routing-config";
import { policyNames } from "./policies";

/** Each `escalation:` that names no policy, as a field error at `routes.<i>.escalation`. */
export async function unknownRoutingPolicies(db: DbOrTx, routing: RoutingConfig): Promise<FieldError[]> {
  if (!routing.routes.some((r) => r.escalation)) return [];
  const known = await policyNames(db);
  return routing.routes.flatMap((rule, i) =>
    rule.escalation && !known.has(rule.escalation.toLowerCase())
      ? [
          {
            path: `routes.${i}.escalation`,
            message: `rule "${rule.name}": no escalation policy is named "${rule.escalation}"`,
          },
        ]
      : [],
  );
}

/** Throws when the routing file names a policy that does not exist (worker start, dry run). */
export async function assertRoutingPoliciesExist(db: DbOrTx, routing: RoutingConfig, source: string): Promise<void> {
  const unknown = await unknownRoutingPolicies(db, routing);
  if (unknown.length === 0) return;
  throw new AppError(
    "conflict",
    `The routing file (${source}) names escalation policies that do not exist:\n  ${unknown.map((u) => `${u.path}: ${u.message}`).join("\n  ")}\nCreate them (POST /api/v1/escalation-policies) or fix the names.`,
    { fieldErrors: unknown },
  );
}
