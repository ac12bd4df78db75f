// The postmortem's wire shapes: verb inputs and the JSON the API returns. One source for validation,
// TypeScript types and the OpenAPI document; snake_case, as on the wire.
import { z } from "zod";
import { renderable } from "../markdown/render-budget";
import { Severity, UserSummary } from "../incidents/schemas";
import { postmortemStatuses } from "./postmortem-status";

export const PostmortemStatus = z.enum(postmortemStatuses);
export const ActionItemStatus = z.enum(["open", "in_progress", "done"]);
export type ActionItemStatus = z.infer<typeof ActionItemStatus>;
export const Tracker = z.enum(["jira", "github"]);
export type Tracker = z.infer<typeof Tracker>;
export const TicketState = z.enum(["none", "pending", "created", "failed"]);
export type TicketState = z.infer<typeof TicketState>;

const many = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]), z.array(item).max(10).optional());

/** A user's id or email address. */
const UserReference = z.string().trim().min(1).max(320);
const Title = z.string().trim().min(1, "must not be empty").max(500, "must be at most 500 characters");
const DueDate = z.iso.date("a date such as 2026-12-31");

// ---- Input ----

export const PostmortemIdInput = z.object({ id: z.uuid("a postmortem id (UUID)") });

export const ListPostmortemsQuery = z.object({
  status: many(PostmortemStatus),
  overdue: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .describe("true: only postmortems with overdue action items"),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type ListPostmortemsQuery = z.input<typeof ListPostmortemsQuery>;

// Bodies are strict (an unknown field is a 400 naming it); the inputs add the path's ids to the same fields.
const UpdatePostmortemFields = z.strictObject({
  markdown: z.string().max(200_000, "must be at most 200,000 characters").superRefine(renderable).optional(),
  version: z.number().int().min(1).optional().describe("The version the edit is based on; required with `markdown`"),
  status: PostmortemStatus.optional().describe(
    "draft -> in_review -> published; in_review -> draft; published -> in_review",
  ),
});
const postmortemUpdateChecks = <S extends z.ZodType<z.output<typeof UpdatePostmortemFields>>>(schema: S) =>
  schema
    .refine((v) => v.markdown !== undefined || v.status !== undefined, {
      message: "name `markdown` (with `version`) and/or `status`",
    })
    .refine((v) => v.markdown === undefined || v.version !== undefined, {
      message: "an edit names the version it is based on",
      path: ["version"],
    });
export const UpdatePostmortemBody = postmortemUpdateChecks(UpdatePostmortemFields);
export const UpdatePostmortemInput = postmortemUpdateChecks(UpdatePostmortemFields.extend(PostmortemIdInput.shape));
export type UpdatePostmortemInput = z.input<typeof UpdatePostmortemInput>;

export const CreateActionItemBody = z.strictObject({
  title: Title,
  owner: UserReference.nullable().optional().describe("A user's id or email"),
  due_date: DueDate.nullable().optional(),
  status: ActionItemStatus.default("open"),
});
export const CreateActionItemInput = CreateActionItemBody.extend(PostmortemIdInput.shape);
export type CreateActionItemInput = z.input<typeof CreateActionItemInput>;

export const ActionItemRefInput = PostmortemIdInput.extend({ item_id: z.uuid("an action item id (UUID)") });
export type ActionItemRefInput = z.input<typeof ActionItemRefInput>;

const UpdateActionItemFields = z.strictObject({
  title: Title.optional(),
  owner: UserReference.nullable().optional(),
  due_date: DueDate.nullable().optional(),
  status: ActionItemStatus.optional(),
});
const changedFields = Object.keys(UpdateActionItemFields.shape);
export const UpdateActionItemBody = UpdateActionItemFields.refine(
  (v) => Object.values(v).some((x) => x !== undefined),
  { message: "name at least one field to change" },
);
export const UpdateActionItemInput = UpdateActionItemFields.extend(ActionItemRefInput.shape).refine(
  (v) => changedFields.some((field) => v[field as keyof typeof v] !== undefined),
  { message: "name at least one field to change" },
);
export type UpdateActionItemInput = z.input<typeof UpdateActionItemInput>;

// ---- Output ----

export const Ticket = z.object({
  state: TicketState.describe("none; pending (being created by the worker); created; failed (see `error`)"),
  tracker: Tracker.nullable(),
  key: z.string().nullable().describe("OPS-24, or owner/repo#42"),
  url: z.string().nullable(),
  error: z.string().nullable().describe("The tracker's own error message when creating the ticket failed"),
});

export const ActionItem = z.object({
  id: z.uuid(),
  postmortem_id: z.uuid(),
  title: z.string(),
  owner: UserSummary.nullable(),
  due_date: z.string().nullable(),
  status: ActionItemStatus,
  overdue: z.boolean().describe("Not done, and due before today (POSTMORTEM_TIME_ZONE)"),
  ticket: Ticket,
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type ActionItem = z.infer<typeof ActionItem>;

export const PostmortemRevision = z.object({
  version: z.number().int(),
  author: z.object({ type: z.string(), id: z.string().nullable(), name: z.string() }),
  created_at: z.iso.datetime(),
});
export type PostmortemRevision = z.infer<typeof PostmortemRevision>;

export const PostmortemSummary = z.object({
  id: z.uuid(),
  incident: z.object({ id: z.uuid(), ref: z.string(), title: z.string(), severity: Severity }),
  status: PostmortemStatus,
  version: z.number().int(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  updated_by: z.string().nullable(),
  published_at: z.iso.datetime().nullable(),
  action_item_counts: z.object({ total: z.number().int(), open: z.number().int(), overdue: z.number().int() }),
});
export type PostmortemSummary = z.infer<typeof PostmortemSummary>;

export const Postmortem = PostmortemSummary.extend({
  markdown: z.string().describe("The document as people edited it (markdown)"),
  generated_at: z.iso.datetime(),
  action_items: z.array(ActionItem),
  revisions: z.array(PostmortemRevision).describe("Every saved version, newest first"),
});
export type Postmortem = z.infer<typeof Postmortem>;
