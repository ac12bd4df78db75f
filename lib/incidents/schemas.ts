// The incident's wire shapes: verb inputs and the JSON the API returns. One source for validation,
// TypeScript types and the OpenAPI document. Field names are snake_case, as on the wire.
import { z } from "zod";
import { incidentStatuses } from "./state-machine";

export const severities = ["P0", "P1", "P2", "P3", "P4"] as const;
export const Severity = z.enum(severities);
export type Severity = z.infer<typeof Severity>;
export const IncidentStatus = z.enum(incidentStatuses);

const text = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
const optionalName = z.string().trim().max(100).nullable().optional();
const Labels = z.record(z.string().max(200), z.string().max(2000));
/** A user's id or email address. */
const UserReference = z.string().trim().min(1).max(320);

export const IncidentRefInput = z.object({ ref: z.string().min(1).max(64) });

// Bodies are strict: an unknown field is refused with 400, never dropped (lib/input.ts suggests the
// field meant). Vendors' formats (Alertmanager, PagerDuty, Slack) stay lenient in their own readers.
export const CreateIncidentInput = z.strictObject({
  title: text(300),
  severity: Severity.default("P3"),
  description: z.string().max(20_000).nullable().optional(),
  service: optionalName,
  team: optionalName,
  owner: UserReference.nullable().optional(),
  labels: Labels.optional(),
  detected_at: z.iso.datetime({ offset: true }).optional(),
});
export type CreateIncidentInput = z.input<typeof CreateIncidentInput>;

// Each write has a Body (what the API takes as JSON) and an Input (the body plus the incident's ref).

export const UpdateIncidentBody = z.strictObject({
  title: text(300).optional(),
  severity: Severity.optional(),
  description: z.string().max(20_000).nullable().optional(),
  service: optionalName,
  team: optionalName,
  owner: UserReference.nullable().optional(),
  status: IncidentStatus.exclude(["open"]).optional(),
  false_positive: z.boolean().optional().describe("The alerts fired but nothing was wrong (counts as noise)"),
  false_positive_reason: z.string().trim().max(2000).nullable().optional(),
  exclude_from_metrics: z.boolean().optional().describe("A drill or a test: left out of MTTx and noise figures"),
  detected_at: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .describe("When the problem started (for MTTD): at or before the incident was opened; null when unknown"),
});
export const UpdateIncidentInput = UpdateIncidentBody.extend(IncidentRefInput.shape).refine(
  (v) => Object.keys(v).some((k) => k !== "ref"),
  { message: "name at least one field to change" },
);
export type UpdateIncidentInput = z.input<typeof UpdateIncidentInput>;

export const SetIncidentStatusBody = z.strictObject({
  status: IncidentStatus.exclude(["open"]),
  note: z.string().trim().max(10_000).optional(),
});
export const SetIncidentStatusInput = SetIncidentStatusBody.extend(IncidentRefInput.shape);
export type SetIncidentStatusInput = z.input<typeof SetIncidentStatusInput>;

export const ResolveIncidentBody = z.strictObject({ resolution_note: z.string().trim().max(10_000).optional() });
export const ResolveIncidentInput = ResolveIncidentBody.extend(IncidentRefInput.shape);
export type ResolveIncidentInput = z.input<typeof ResolveIncidentInput>;

export const ReopenIncidentBody = z.strictObject({ reason: z.string().trim().max(10_000).optional() });
export const ReopenIncidentInput = ReopenIncidentBody.extend(IncidentRefInput.shape);
export type ReopenIncidentInput = z.input<typeof ReopenIncidentInput>;

/** The longest note a person (or a vendor's webhook) can add to a timeline. */
export const NOTE_MAX_LENGTH = 10_000;
export const AddTimelineEventBody = z.strictObject({ text: text(NOTE_MAX_LENGTH) });
export const AddTimelineEventInput = AddTimelineEventBody.extend(IncidentRefInput.shape);
export type AddTimelineEventInput = z.input<typeof AddTimelineEventInput>;

/** A repeated query parameter (`status=open&status=acknowledged`), or one with commas (`status=open,acknowledged`). */
const many = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) =>
      v === undefined
        ? undefined
        : (Array.isArray(v) ? v : [v]).flatMap((one) =>
            typeof one === "string" ? one.split(",").map((s) => s.trim()) : [one],
          ),
    z.array(item).max(10).optional(),
  );

export const ListIncidentsInput = z.object({
  status: many(IncidentStatus),
  severity: many(Severity),
  service: z.string().max(100).optional(),
  team: z.string().max(100).optional(),
  owner: UserReference.optional(),
  q: z.string().trim().max(200).optional(),
  created_after: z.iso.datetime({ offset: true }).optional().describe("created at or after this time"),
  created_before: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("created before this time (exclusive, as the analytics ranges)"),
  counted: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .describe(
      "true: only incidents the analytics count (not flagged exclude_from_metrics); false: only the excluded ones",
    ),
  sort: z
    .enum(["newest", "severity"])
    .default("newest")
    .describe("newest first, or most severe first then oldest (the board)"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListIncidentsInput = z.input<typeof ListIncidentsInput>;

export const ListTimelineQuery = z.object({
  order: z.enum(["asc", "desc"]).default("asc"),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export const ListTimelineInput = ListTimelineQuery.extend(IncidentRefInput.shape);

// ---- Output ----

export const UserSummary = z.object({ id: z.uuid(), name: z.string(), email: z.string() });

export const Incident = z.object({
  id: z.uuid(),
  ref: z.string().describe("Human reference, INC-<number>"),
  number: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  severity: Severity,
  status: IncidentStatus,
  service: z.string().nullable(),
  team: z.string().nullable(),
  owner: UserSummary.nullable(),
  group_key: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  runbook_url: z.string().nullable(),
  detected_at: z.iso.datetime().nullable().describe("When the problem started; null when unknown (left out of MTTD)"),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  acknowledged_at: z.iso.datetime().nullable(),
  resolved_at: z.iso.datetime().nullable(),
  resolution_note: z.string().nullable(),
  auto_resolved: z.boolean().describe("Resolved because all its alerts resolved, not by a person"),
  reopened_count: z.number().int(),
  false_positive: z.boolean(),
  false_positive_reason: z.string().nullable(),
  exclude_from_metrics: z.boolean(),
});
export type Incident = z.infer<typeof Incident>;

export const IncidentList = z.object({
  data: z.array(Incident),
  next_cursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
});
export type IncidentList = z.infer<typeof IncidentList>;

export const TimelineEvent = z.object({
  id: z.number().int(),
  incident_id: z.uuid(),
  at: z.iso.datetime(),
  kind: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string() }),
  text: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

/** What a write verb returns: the incident after the call, and whether the call changed it. */
export interface IncidentChange {
  incident: Incident;
  changed: boolean;
}
