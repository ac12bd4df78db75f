// Runbooks as the API and the pages show them, and the inputs of the runbook verbs.
import { z } from "zod";
import { renderable } from "../markdown/render-budget";
import { actionTypes } from "./action-types";
import { slugPattern } from "./runbook-document";

export const runbookSources = ["file", "app", "kubernetes"] as const;
export type RunbookSource = (typeof runbookSources)[number];

export const RunbookSlugInput = z.object({
  slug: z.string().regex(slugPattern, "a runbook slug such as high-error-rate"),
});

export const Author = z.object({ type: z.string(), id: z.string().nullable(), name: z.string() });

export const RunbookActionSummary = z.object({
  id: z.string(),
  title: z.string(),
  type: z.enum(actionTypes),
  auto: z.boolean(),
  requires_approval: z.boolean(),
  max_per_hour: z.number().int().nullable(),
});
export type RunbookActionSummary = z.infer<typeof RunbookActionSummary>;

export const RunbookSummary = z.object({
  slug: z.string(),
  title: z.string(),
  service: z.string().nullable(),
  version: z.number().int(),
  /** Where the current version came from: a file under runbooks/ (Git), an edit in the app, or a Runbook custom resource. */
  source: z.enum(runbookSources),
  file_path: z.string().nullable(),
  resource: z
    .object({
      ref: z.string().describe("The Runbook resource (runbooks.vigil.dev/v1) it is synced from: namespace/name"),
      removed_at: z.iso.datetime().nullable().describe("When the resource was deleted"),
      problem: z
        .string()
        .nullable()
        .describe("Why its actions are refused (a namespace REMEDIATION_NAMESPACES does not allow)"),
      actions_approved: z
        .object({ version: z.number().int().nullable(), by: z.string().nullable(), at: z.iso.datetime().nullable() })
        .nullable()
        .describe("The admin approval its actions hold now; null: none, or they changed since"),
    })
    .nullable()
    .describe("Set for a runbook from a Kubernetes custom resource: edit the resource, not the runbook"),
  actions_inactive: z.string().nullable().describe("Why the runbook's actions may not act now; null: they may"),
  alerts: z.string().describe("The alerts it applies to, for people: alertnames and label matchers"),
  actions: z.array(RunbookActionSummary),
  updated_at: z.iso.datetime(),
  updated_by: Author,
});
export type RunbookSummary = z.infer<typeof RunbookSummary>;

export const RunbookDetail = RunbookSummary.extend({
  markdown: z.string().describe("The whole document: front matter and body, as the file format has it"),
  body: z.string(),
  front_matter: z.record(z.string(), z.unknown()),
  escalation: z.object({ to: z.string(), after: z.string().nullable(), channel: z.string().nullable() }).nullable(),
  /** The current version was made in the app after the file was last synced: export it to keep it in Git. */
  edited_since_file: z.boolean(),
});
export type RunbookDetail = z.infer<typeof RunbookDetail>;

export const RunbookVersion = z.object({
  version: z.number().int(),
  source: z.enum(runbookSources),
  author: Author,
  created_at: z.iso.datetime(),
  markdown: z.string(),
});
export type RunbookVersion = z.infer<typeof RunbookVersion>;

const Markdown = z
  .string()
  .min(1, "the runbook is empty")
  .max(200_000, "at most 200,000 characters")
  .superRefine(renderable);

export const CreateRunbookInput = z.strictObject({ markdown: Markdown });
export type CreateRunbookInput = z.infer<typeof CreateRunbookInput>;

export const UpdateRunbookBody = z.strictObject({
  markdown: Markdown,
  base_version: z
    .number()
    .int()
    .min(1)
    .describe("The version the edit started from: a save over someone else's newer version is refused (409)"),
});
export const UpdateRunbookInput = UpdateRunbookBody.extend(RunbookSlugInput.shape);
export type UpdateRunbookInput = z.infer<typeof UpdateRunbookInput>;

export const RunbookChange = z.object({ runbook: RunbookDetail, changed: z.boolean() });
export type RunbookChange = z.infer<typeof RunbookChange>;

export const ApproveRunbookActionsBody = z.strictObject({
  version: z
    .number()
    .int()
    .min(1)
    .describe("The version whose actions you reviewed: approving is refused (409) when a newer one came since"),
});
export const ApproveRunbookActionsInput = ApproveRunbookActionsBody.extend(RunbookSlugInput.shape);
export type ApproveRunbookActionsInput = z.infer<typeof ApproveRunbookActionsInput>;
