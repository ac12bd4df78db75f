// The analytics verbs as the doors call them: through the short-lived cache (result-cache.ts).
import { cachedAnalytics } from "./result-cache";
import { getAlertNoise } from "./get-alert-noise";
import { getAnalyticsSummary } from "./get-analytics-summary";
import { getDurationDistribution } from "./get-duration-distribution";
import { getDurationTrends } from "./get-duration-trends";
import { getNotificationVolume } from "./get-notification-volume";
import { getRemediationSuccess } from "./get-remediation-success";

// Named one by one (not an object) so the doors' imports say which verb each one calls.
export const cachedSummary = cachedAnalytics("summary", getAnalyticsSummary);
export const cachedTrends = cachedAnalytics("trends", getDurationTrends);
export const cachedDistribution = cachedAnalytics("distribution", getDurationDistribution);
export const cachedNoise = cachedAnalytics("noise", getAlertNoise);
export const cachedNotificationVolume = cachedAnalytics("notifications", getNotificationVolume);
export const cachedRemediationSuccess = cachedAnalytics("remediation", getRemediationSuccess);
