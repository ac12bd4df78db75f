// The analytics wire shapes: query inputs and the JSON the API returns (and the page renders). One source
// for validation, TypeScript types and the OpenAPI document. Durations are seconds; shares are 0..1.
import { z } from "zod";
import { bucketSizes, TimeRangeQuery } from "./time-range";

export const groupDimensions = ["severity", "service", "team"] as const;
export const GroupDimension = z.enum(groupDimensions);
export type GroupDimension = z.infer<typeof GroupDimension>;

export const SummaryQuery = TimeRangeQuery.extend({
  group_by: GroupDimension.default("severity"),
});
export type SummaryQuery = z.input<typeof SummaryQuery>;

export const TrendsQuery = TimeRangeQuery.extend({
  group_by: GroupDimension.default("severity"),
  bucket: z.enum(bucketSizes).default("day").describe("UTC days, or ISO weeks starting on Monday"),
  limit: z.coerce.number().int().min(1).max(50).default(10).describe("For service and team: the busiest groups kept"),
});
export type TrendsQuery = z.input<typeof TrendsQuery>;

export const NoiseQuery = TimeRangeQuery.extend({
  limit: z.coerce.number().int().min(1).max(50).default(10).describe("Rows of the alertname and flapping tables"),
  min_cycles: z.coerce
    .number()
    .int()
    .min(2)
    .max(1000)
    .default(3)
    .describe("Openings (incidents plus reopenings) that make a group flapping"),
});
export type NoiseQuery = z.input<typeof NoiseQuery>;

export const Stats = z
  .object({
    mean: z.number().nullable(),
    p50: z.number().nullable(),
    p90: z.number().nullable(),
  })
  .describe("Seconds; null when no incident of the group has the timestamps (never 0 for no data)");

const range = {
  from: z.iso.datetime(),
  to: z.iso.datetime(),
};

export const DurationGroup = z.object({
  key: z
    .string()
    .nullable()
    .describe('The severity, service or team; null for incidents without one; "all" for the total'),
  count: z.number().int().describe("Incidents created in the range (excluded ones left out)"),
  open: z.number().int().describe("Of those, not resolved yet: left out of mttr, not counted as zero"),
  unacknowledged: z.number().int().describe("Of those, never acknowledged: left out of mtta, not counted as zero"),
  undetected: z
    .number()
    .int()
    .describe(
      "Of those, without a detection time (declared without detected_at): left out of mttd, not counted as zero",
    ),
  mttd: Stats.describe("created_at - detected_at"),
  mtta: Stats.describe("acknowledged_at - created_at"),
  mttr: Stats.describe("resolved_at - created_at"),
});
export type DurationGroup = z.infer<typeof DurationGroup>;

export const AnalyticsSummary = z.object({
  ...range,
  group_by: GroupDimension,
  total: DurationGroup,
  groups: z.array(DurationGroup),
});
export type AnalyticsSummary = z.infer<typeof AnalyticsSummary>;

export const TrendPoint = DurationGroup.omit({ key: true }).extend({ bucket: z.iso.datetime() });
export type TrendPoint = z.infer<typeof TrendPoint>;

export const DurationTrends = z.object({
  ...range,
  group_by: GroupDimension,
  bucket: z.enum(bucketSizes),
  buckets: z.array(z.iso.datetime()).describe("Every bucket start, oldest first; the first may start before `from`"),
  series: z.array(
    z.object({
      key: z.string().nullable(),
      points: z.array(TrendPoint).describe("One per bucket, empty buckets included"),
    }),
  ),
});
export type DurationTrends = z.infer<typeof DurationTrends>;

export const DistributionBin = z.object({
  label: z.string(),
  upper_seconds: z.number().nullable().describe("Exclusive upper bound; null for the last, open-ended bin"),
  mtta: z.number().int().describe("Incidents acknowledged within this bin"),
  mttr: z.number().int().describe("Incidents resolved within this bin"),
});
export const DurationDistribution = z.object({
  ...range,
  bins: z.array(DistributionBin),
  unacknowledged: z.number().int(),
  open: z.number().int(),
});
export type DurationDistribution = z.infer<typeof DurationDistribution>;

export const NoisyAlertname = z.object({
  alertname: z.string().nullable(),
  alerts: z.number().int().describe("Alerts (one per incident and fingerprint)"),
  incidents: z.number().int().describe("Incidents the alertname took part in"),
  false_positives: z.number().int().describe("Of those, marked false positive"),
  generator_url: z.string().nullable().describe("The Prometheus link of its most recent alert: the rule's expression"),
  incident_refs: z.array(z.string()).describe("Its most recent incidents, newest first (at most 5)"),
});
export type NoisyAlertname = z.infer<typeof NoisyAlertname>;

export const FlappingGroup = z.object({
  group_key: z.string(),
  service: z.string().nullable(),
  incidents: z.number().int(),
  reopens: z.number().int(),
  cycles: z.number().int().describe("incidents + reopens: how often the group opened or reopened an incident"),
  latest_incident_ref: z.string(),
  latest_title: z.string(),
});
export type FlappingGroup = z.infer<typeof FlappingGroup>;

export const AlertNoise = z.object({
  ...range,
  incidents: z.number().int(),
  false_positives: z.number().int(),
  false_positive_share: z.number().nullable().describe("false_positives / incidents; null without incidents"),
  alerts: z.number().int(),
  incidents_with_alerts: z.number().int(),
  alerts_per_incident: Stats.describe("Over incidents with at least one alert"),
  noisiest_alertnames: z.array(NoisyAlertname),
  flapping_groups: z.array(FlappingGroup),
});
export type AlertNoise = z.infer<typeof AlertNoise>;

export const ChannelVolume = z.object({
  channel: z.string(),
  total: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int().describe("Queued or being sent"),
  fallbacks: z.number().int().describe("Messages sent because another channel failed"),
  attempts: z.number().int(),
  failure_share: z.number().nullable().describe("failed / (sent + failed); null when none has finished"),
});
export type ChannelVolume = z.infer<typeof ChannelVolume>;

export const NotificationVolume = z.object({
  ...range,
  channels: z.array(ChannelVolume),
});
export type NotificationVolume = z.infer<typeof NotificationVolume>;

const reductionPercent = z
  .number()
  .nullable()
  .describe(
    "(1 - notifications_sent / alerts_received) × 100, one decimal; negative when more messages went out; null without alerts",
  );

export const DeduplicationRow = z.object({
  day: z.iso.date().describe("UTC day"),
  service: z.string().nullable().describe("The alerts' service label, the messages' incident's service"),
  team: z.string().nullable(),
  alerts_received: z.number().int().describe("Alert copies delivered to Vigil, re-sends and retries included"),
  notifications_sent: z.number().int().describe("Messages sent on every channel (drills and tests left out)"),
  reduction_percent: reductionPercent,
});
export type DeduplicationRow = z.infer<typeof DeduplicationRow>;

export const Deduplication = z.object({
  ...range,
  first_day: z.iso.date().describe("The figure covers whole UTC days: the first one the range touches"),
  last_day: z.iso.date(),
  alerts_received: z.number().int(),
  notifications_sent: z.number().int(),
  reduction_percent: reductionPercent,
  rows: z.array(DeduplicationRow).describe("Per day (newest first), service and team"),
});
export type Deduplication = z.infer<typeof Deduplication>;

export const RemediationSuccess = z.object({
  ...range,
  available: z.boolean().describe("whether remediation runs are recorded (always true since runbooks landed)"),
  reason: z.string().nullable(),
  runs: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  success_share: z.number().nullable().describe("succeeded / (succeeded + failed); null when none finished"),
  by_action: z.array(
    z.object({
      action: z.string(),
      runs: z.number().int(),
      succeeded: z.number().int(),
      failed: z.number().int(),
      success_share: z.number().nullable(),
    }),
  ),
});
export type RemediationSuccess = z.infer<typeof RemediationSuccess>;

export const OncallQuery = TimeRangeQuery.extend({
  team: z.string().trim().min(1).max(200).optional().describe("Only incidents of this team"),
  service: z.string().trim().min(1).max(200).optional().describe("Only incidents of this service"),
});
export type OncallQuery = z.input<typeof OncallQuery>;

export const StepReached = z.object({
  step: z
    .number()
    .int()
    .describe(
      "The last step that paged someone before the acknowledgement (or at all, for runs nobody acknowledged): 1-based, counting passes (the second pass of a 2-step policy is steps 3 and 4); 0 = acknowledged before any page went out",
    ),
  escalations: z.number().int(),
  acknowledged: z.number().int(),
  time_to_ack: Stats.describe("acknowledged_at - the run's start, over the acknowledged runs"),
});
export type StepReached = z.infer<typeof StepReached>;

export const PersonLoad = z.object({
  user_id: z.uuid(),
  name: z.string(),
  time_zone: z.string().describe("The zone nights and weeks are read in"),
  time_zone_known: z.boolean().describe("false: the person has not set a time zone, so UTC was used"),
  pages: z.number().int().describe("Sent pages: one per incident, step and contact method, bundled ones included"),
  messages: z.number().int().describe("What arrived: several incidents bundled into one message count once"),
  incidents: z.number().int().describe("Distinct incidents the person was paged for"),
  nights_interrupted: z.number().int().describe("Distinct nights (22:00-07:00 on the person's wall clock) with a page"),
});

export const OncallLoad = z.object({
  ...range,
  team: z.string().nullable(),
  service: z.string().nullable(),
  escalations: z.number().int().describe("Escalation runs started in the range"),
  acknowledged: z.number().int(),
  unacknowledged: z.number().int().describe("Runs nobody acknowledged (yet): counted by step, left out of time_to_ack"),
  reached_step_2_share: z
    .number()
    .nullable()
    .describe("Runs whose escalation paged at step 2 or later / all runs; null without runs"),
  time_to_ack: Stats.describe("Over every acknowledged run"),
  by_step: z.array(StepReached).describe("Ascending by step; steps no run stopped at are left out"),
  weeks: z
    .array(z.iso.date())
    .describe("Every week (its Monday) the range touches, oldest first; a person's pages fall in their own week"),
  people: z.array(PersonLoad).describe("Everyone paged in the range, most pages first"),
  load: z
    .array(
      z.object({
        user_id: z.uuid(),
        week: z.iso.date().describe("Monday of the week on the person's wall clock"),
        pages: z.number().int(),
        messages: z.number().int(),
        nights_interrupted: z.number().int().describe("Nights whose evening falls in this week"),
      }),
    )
    .describe("Per person and week with pages or nights; weeks without are left out"),
});
export type OncallLoad = z.infer<typeof OncallLoad>;
