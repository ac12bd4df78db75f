import { describe, expect, it } from "vitest";
import { FOLLOW_JOB } from "../escalation/job-names";
import { PLAN_JOB } from "../notifications/outbound-events";
import { DRAFT_JOB } from "../postmortems/draft-on-resolve";
import { TRIGGER_JOB } from "../remediation/job-names";
import { jobsForEvent } from "./event-jobs";

const names = (kind: string, handled?: string[]) => jobsForEvent(kind, handled).map((j) => j.job);

describe("the jobs an incident event enqueues", () => {
  it("plans messages and may start remediation when an incident opens", () => {
    expect(names("created")).toEqual([PLAN_JOB, TRIGGER_JOB, FOLLOW_JOB]);
  });

  it("drafts the postmortem (once per incident, after a pause) when it resolves", () => {
    expect(names("resolved")).toEqual([PLAN_JOB, FOLLOW_JOB, DRAFT_JOB]);
    expect(jobsForEvent("resolved").find((j) => j.job === DRAFT_JOB)).toMatchObject({
      payload: "incident_id",
      jobKeyPrefix: "postmortem-draft:",
      delayMs: 10_000,
      maxAttempts: 10,
    });
  });

  it("leaves out the jobs the caller did itself, and enqueues nothing for delivery outcomes", () => {
    expect(names("created", [PLAN_JOB])).toEqual([TRIGGER_JOB, FOLLOW_JOB]);
    expect(names("notification_sent")).toEqual([]);
    expect(names("runbook_linked")).toEqual([]);
  });
});
