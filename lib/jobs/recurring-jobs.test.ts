import { parseCronItems } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { REFRESH_JOB } from "../analytics/refresh-answers-job";
import { HANDOFF_SWEEP_JOB } from "../oncall/handoff-reminders";
import { jobDefinitions } from "./index";
import { recurringJobs } from "./recurring-jobs";

describe("the worker's crontab", () => {
  it("keeps the analytics refresh cycle alive every minute, without moving a run already planned", () => {
    const items = recurringJobs({ analyticsCacheTtlMs: 60_000, handoffReminderMs: 0 });
    expect(items).toEqual([
      {
        task: REFRESH_JOB,
        match: "* * * * *",
        identifier: "analytics-refresh-keepalive",
        options: { backfillPeriod: 0, maxAttempts: 5, jobKey: REFRESH_JOB, jobKeyMode: "preserve_run_at" },
      },
    ]);
    // graphile-worker takes it as it is, and the worker has a task of that name.
    expect(parseCronItems(items)).toHaveLength(1);
    expect(jobDefinitions.map((d) => d.name)).toContain(REFRESH_JOB);
  });

  it("sweeps for upcoming handoffs every five minutes unless reminders are off", () => {
    const items = recurringJobs({ analyticsCacheTtlMs: 0, handoffReminderMs: 3_600_000 });
    expect(items).toEqual([
      {
        task: HANDOFF_SWEEP_JOB,
        match: "*/5 * * * *",
        identifier: "oncall-handoff-sweep",
        options: { backfillPeriod: 0, maxAttempts: 3 },
      },
    ]);
    expect(parseCronItems(items)).toHaveLength(1);
    expect(jobDefinitions.map((d) => d.name)).toContain(HANDOFF_SWEEP_JOB);
  });

  it("has nothing to keep alive when answers are not stored", () => {
    expect(recurringJobs({ analyticsCacheTtlMs: 0, handoffReminderMs: 0 })).toEqual([]);
  });
});
