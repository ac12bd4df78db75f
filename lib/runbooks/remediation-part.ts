// The part of a runbook the remediation policy acts on, and whether a runbook's actions may act now.
import { createHash } from "node:crypto";
import type { RunbookRow } from "@/db/schema";
import type { RunbookDocument } from "./runbook-document";

/**
 * The part of a runbook the remediation policy acts on: its actions (what runs, whether automatically,
 * approval, hourly limits, bounds; not their titles and descriptions, which are words) and, when it has
 * any, which alerts and service it matches. Compared as parsed values, so layout and comments in the YAML
 * do not count as a change.
 */
export function remediationPart(document: RunbookDocument | null): string | null {
  const frontMatter = document?.frontMatter;
  if (!frontMatter || frontMatter.actions.length === 0) return null;
  const actions = frontMatter.actions.map(({ title: _title, description: _description, ...acting }) => acting);
  return JSON.stringify({ actions, alerts: frontMatter.alerts, service: frontMatter.service });
}

/** What an admin approves for a Runbook resource: a text-only change keeps the same digest. */
export function actionsDigest(document: RunbookDocument): string | null {
  const part = remediationPart(document);
  return part === null ? null : createHash("sha256").update(part).digest("hex");
}

type ActionState = Pick<
  RunbookRow,
  "resourceRef" | "removedAt" | "resourceProblem" | "actionsApprovedDigest" | "actionsApprovedVersion"
>;

/**
 * Why this runbook's actions may not act, or null when they may. Only a Runbook custom resource's actions
 * wait: anyone with RBAC on the resource could write them, and actions are an admin's to change in Vigil.
 */
export function actionsInactiveReason(row: ActionState, document: RunbookDocument): string | null {
  if (!row.resourceRef) return null;
  const digest = actionsDigest(document);
  if (digest === null) return null;
  if (row.removedAt) return `the Runbook resource ${row.resourceRef} was deleted`;
  if (row.resourceProblem) return `the Runbook resource ${row.resourceRef} is refused: ${row.resourceProblem}`;
  if (row.actionsApprovedDigest !== digest)
    return row.actionsApprovedDigest === null
      ? `the actions of the Runbook resource ${row.resourceRef} wait for an admin's approval in Vigil`
      : `the actions of the Runbook resource ${row.resourceRef} changed since an admin approved version ${row.actionsApprovedVersion}: they wait for a new approval in Vigil`;
  return null;
}
