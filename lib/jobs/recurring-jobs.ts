// Recurring jobs, on graphile-worker's crontab: it enqueues each item once per due minute across every
// worker replica and restart (its `known_crontabs` table), so no process keeps a timer of its own alive.
import type { CronItem } from "graphile-worker";
import { REFRESH_JOB } from "../analytics/refresh-answers-job";
import type { Config } from "../env";
import { HANDOFF_SWEEP_CRON, HANDOFF_SWEEP_JOB } from "../oncall/handoff-reminders";

export function recurringJobs(config: Pick<Config, "analyticsCacheTtlMs" | "handoffReminderMs">): CronItem[] {
  const items: CronItem[] = [];
  if (config.analyticsCacheTtlMs > 0) {
    // The refresh plans its own next run every quarter TTL (finer than cron's minute), under one job key.
    // Each minute this adds a run only when none is planned (preserve_run_at keeps a planned one's time),
    // so a cycle that a failing database broke starts again within a minute, on one replica.
    items.push({
      task: REFRESH_JOB,
      match: "* * * * *",
      identifier: "analytics-refresh-keepalive",
      options: { backfillPeriod: 0, maxAttempts: 5, jobKey: REFRESH_JOB, jobKeyMode: "preserve_run_at" },
    });
  }
  if (config.handoffReminderMs > 0) {
    // No backfill: a sweep looks at every shift starting within the lead time, so the next one catches up.
    items.push({
      task: HANDOFF_SWEEP_JOB,
      match: HANDOFF_SWEEP_CRON,
      identifier: "oncall-handoff-sweep",
      options: { backfillPeriod: 0, maxAttempts: 3 },
    });
  }
  return items;
}
