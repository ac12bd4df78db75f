// Maintenance windows and snoozes on the wire: verb inputs and the JSON the API returns, one source for
// validation, types and the OpenAPI document. Field names are snake_case, as on the wire.
import { z } from "zod";

const units = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** The longest window or snooze: long enough for a weekend migration, short enough not to be forgotten. */
export const MAX_WINDOW_MS = 14 * units.d;

/** "90m", "2h", "1d" (or a combination such as "1h30m") as milliseconds. */
export const WindowDuration = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(\d+[mhd])+$/, "use a number and a unit: 30m, 2h, 1d (or 1h30m)")
  .transform((v) =>
    [...v.matchAll(/(\d+)([mhd])/g)].reduce((ms, [, n, unit]) => ms + Number(n) * units[unit as keyof typeof units], 0),
  )
  .refine((ms) => ms > 0, "must be longer than zero")
  .refine((ms) => ms <= MAX_WINDOW_MS, "must be at most 14 days");

const instant = z.iso.datetime({ offset: true });
const Labels = z.record(z.string().trim().min(1).max(200), z.string().max(2000));

export const CreateMaintenanceWindowInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional().describe("Shown on the board; defaults to the matcher"),
    reason: z.string().trim().min(1, "must not be empty").max(2000, "must be at most 2000 characters"),
    service: z.string().trim().min(1).max(200).optional(),
    team: z.string().trim().min(1).max(200).optional(),
    labels: Labels.optional().describe("Equality matchers: every label named must have exactly this value"),
    starts_at: instant.optional().describe("Defaults to now"),
    ends_at: instant.optional(),
    duration: WindowDuration.optional().describe("Instead of ends_at: 30m, 2h, 1d from starts_at"),
  })
  .superRefine((v, issue) => {
    if (!v.service && !v.team && Object.keys(v.labels ?? {}).length === 0)
      issue.addIssue({
        code: "custom",
        path: ["service"],
        message: "name at least one of service, team or labels (a window that matches everything mutes all paging)",
      });
    if (!v.ends_at === !v.duration)
      issue.addIssue({ code: "custom", path: ["ends_at"], message: "give either ends_at or duration" });
  });
export type CreateMaintenanceWindowInput = z.input<typeof CreateMaintenanceWindowInput>;

export const MaintenanceWindowIdInput = z.object({ id: z.uuid("must be a maintenance window id") });

export const SnoozeIncidentBody = z.strictObject({
  duration: WindowDuration.default(60 * 60_000).describe("How long: 30m, 1h (the default), 4h"),
  reason: z.string().trim().min(1).max(2000).optional(),
});
export const SnoozeIncidentInput = SnoozeIncidentBody.extend({ ref: z.string().min(1).max(64) });
export type SnoozeIncidentInput = z.input<typeof SnoozeIncidentInput>;

export const ListMaintenanceWindowsQuery = z.object({
  state: z
    .enum(["active", "upcoming", "ended", "all"])
    .default("all")
    .describe("active: muting now; upcoming: not started; ended: over (deleted ones are never listed)"),
});

export const MaintenanceWindow = z.object({
  id: z.uuid(),
  kind: z.enum(["window", "snooze"]),
  name: z.string(),
  reason: z.string(),
  matcher: z.object({
    service: z.string().nullable(),
    team: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    group_key: z.string().nullable().describe("A snooze's alert group"),
  }),
  incident_id: z.uuid().nullable().describe("The incident a snooze was made from"),
  starts_at: z.string(),
  ends_at: z.string(),
  state: z.enum(["active", "upcoming", "ended"]),
  created_at: z.string(),
  created_by: z.string(),
  ended_early_at: z.string().nullable(),
  ended_early_by: z.string().nullable(),
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;
