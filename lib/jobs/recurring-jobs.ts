// Recurring jobs, on graphile-worker's crontab: it enqueues each item once per due minute across every
// worker replica and restart (its `known_crontabs` table), so no process keeps a timer of its own alive.
import type { CronItem } from "graphile-worker";
import { REFRESH_JOB } from "../analytics/refresh-answers-job";
import type { Config } from "../env";

export function recurringJobs(config: Pick<Config, "analyticsCacheTtlMs">): CronItem[] {
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
  return items;
}
