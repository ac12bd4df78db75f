// Remediation runs as the API shows them, and the inputs of the remediation verbs.
import { z } from "zod";
import { actionTypes } from "../runbooks/action-types";
import { RunbookDetail } from "../runbooks/schemas";

export const remediationStatuses = [
  "pending_approval",
  "approved",
  "running",
  "succeeded",
  "failed",
  "rejected",
  "rate_limited",
  "denied",
] as const;
export type RemediationStatus = (typeof remediationStatuses)[number];

const Person = z.object({ type: z.string(), id: z.string().nullable(), name: z.string() });

export const RemediationRun = z.object({
  id: z.uuid(),
  incident_id: z.uuid().nullable(),
  runbook: z.string().nullable().describe("The runbook's slug"),
  runbook_version: z.number().int().nullable(),
  action_id: z.string(),
  action_type: z.enum(actionTypes),
  target: z.string().describe('What it acts on, e.g. "deployment shop/checkout"'),
  params: z.record(z.string(), z.unknown()),
  status: z.enum(remediationStatuses),
  reason: z.string().nullable().describe("Why the policy decided as it did, or why it failed"),
  dry_run: z.boolean(),
  automatic: z.boolean(),
  requested_by: Person,
  requested_at: z.iso.datetime(),
  decided_by: Person.nullable(),
  decided_at: z.iso.datetime().nullable(),
  started_at: z.iso.datetime().nullable(),
  finished_at: z.iso.datetime().nullable(),
  attempts: z.number().int(),
  output: z.string().nullable(),
});
export type RemediationRun = z.infer<typeof RemediationRun>;

export const RequestRemediationBody = z.strictObject({
  action: z.string().min(1).max(100).describe("The action's id in the runbook"),
  runbook: z.string().max(100).optional().describe("The runbook's slug; default: the one the incident matches"),
  alert: z
    .string()
    .max(100)
    .optional()
    .describe(
      "Fingerprint of the alert whose labels fill the action's parameters; default: the first firing alert the runbook is for",
    ),
  dry_run: z.boolean().optional().describe("Check what would happen; change nothing"),
  replicas: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .optional()
    .describe("For k8s.scale: the replica count, within the runbook's bounds"),
});
export const RequestRemediationInput = RequestRemediationBody.extend({ ref: z.string().min(1).max(100) });
export type RequestRemediationInput = z.infer<typeof RequestRemediationInput>;

export const RunIdInput = z.object({ id: z.uuid("a remediation run id") });

export const DecideRemediationBody = z.strictObject({ reason: z.string().trim().max(1000).optional() });
export const DecideRemediationInput = DecideRemediationBody.extend(RunIdInput.shape);
export type DecideRemediationInput = z.infer<typeof DecideRemediationInput>;

export const ActionTargetPreview = z.object({
  alert: z.string().nullable().describe("The alert's fingerprint, or null when the incident's own labels are used"),
  alert_name: z.string().nullable(),
  target: z.string().nullable(),
  problem: z.string().nullable().describe("Why the action cannot be made concrete for this alert"),
});

export const IncidentRunbook = z.object({
  runbook: RunbookDetail.nullable(),
  reason: z
    .string()
    .nullable()
    .describe("Why this runbook: the alert's runbook_url, or the alertnames / matchers it fits"),
  targets: z
    .record(z.string(), z.array(ActionTargetPreview))
    .describe("Per action id: what it would act on, per alert"),
});
export type IncidentRunbook = z.infer<typeof IncidentRunbook>;
