// The analytics verbs as the doors call them: through the answer store (answer-store.ts), which the
// worker keeps fresh. The worker finds a stored answer's verb here by its name.
import { analyticsVerb, storedAnswer, type AnalyticsVerb } from "./answer-store";
import type { VerbArgs } from "../context";
import { getAlertNoise } from "./get-alert-noise";
import { getAnalyticsSummary } from "./get-analytics-summary";
import { getDeduplication } from "./get-deduplication";
import { getDurationDistribution } from "./get-duration-distribution";
import { getDurationTrends } from "./get-duration-trends";
import { getNotificationVolume } from "./get-notification-volume";
import { getOncallLoad } from "./get-oncall-load";
import { getRemediationSuccess } from "./get-remediation-success";
import { NoiseQuery, OncallQuery, SummaryQuery, TrendsQuery } from "./schemas";
import { TimeRangeQuery } from "./time-range";

const summary = analyticsVerb("summary", SummaryQuery, getAnalyticsSummary);
const trends = analyticsVerb("trends", TrendsQuery, getDurationTrends);
const distribution = analyticsVerb("distribution", TimeRangeQuery, getDurationDistribution);
const noise = analyticsVerb("noise", NoiseQuery, getAlertNoise);
const notifications = analyticsVerb("notifications", TimeRangeQuery, getNotificationVolume);
const remediation = analyticsVerb("remediation", TimeRangeQuery, getRemediationSuccess);
const deduplication = analyticsVerb("deduplication", TimeRangeQuery, getDeduplication);
const oncall = analyticsVerb("oncall", OncallQuery, getOncallLoad);

/** Every stored verb by name, for the worker's refresh. */
export const analyticsVerbs: ReadonlyMap<string, AnalyticsVerb> = new Map(
  [summary, trends, distribution, noise, notifications, remediation, deduplication, oncall].map((v) => [
    v.name,
    v as AnalyticsVerb,
  ]),
);

const stored =
  <S extends AnalyticsVerb>(verb: S) =>
  (args: VerbArgs<Parameters<S["compute"]>[0]["input"]> & { ttlMs: number }) =>
    storedAnswer(verb, args) as ReturnType<S["compute"]>;

// Named one by one (not an object) so the doors' imports say which verb each one calls.
export const cachedSummary = stored(summary);
export const cachedTrends = stored(trends);
export const cachedDistribution = stored(distribution);
export const cachedNoise = stored(noise);
export const cachedNotificationVolume = stored(notifications);
export const cachedRemediationSuccess = stored(remediation);
export const cachedDeduplication = stored(deduplication);
export const cachedOncallLoad = stored(oncall);
