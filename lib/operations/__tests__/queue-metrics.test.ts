// The job queue as the web server's /metrics shows it (read from graphile-worker's tables at each
// scrape): the VigilWorkerStalled meta-alert pages when the oldest ready job has waited over 2 minutes.
import { beforeEach, describe, expect, it } from "vitest";
import * as metricsRoute from "@/app/metrics/route";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";

const t = useTestDatabase();
useTestRuntime(t);

/** A job whose run_at was `agoSeconds` ago (negative: in the future). */
async function jobDue(agoSeconds: number): Promise<string> {
  const [job] = await t.sql<{ id: string }[]>`
    select id::text from graphile_worker.add_job('notify.plan', json_build_object('event_id', 1), run_at => now() - make_interval(secs => ${agoSeconds}))`;
  return job!.id;
}

async function scrape(): Promise<{ depth: number; oldestAge: number }> {
  const res = await call(metricsRoute.GET, "GET", "/metrics");
  expect(res.status).toBe(200);
  const body = await res.text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(body)?.[1]);
  return { depth: value("vigil_job_queue_depth"), oldestAge: value("vigil_job_queue_oldest_age_seconds") };
}

beforeEach(async () => {
  await t.sql`delete from graphile_worker._private_jobs`;
});

describe("the job queue on /metrics", () => {
  it("reports the age of the oldest job ready to run, and how many are ready", async () => {
    await jobDue(180);
    await jobDue(30);
    const { depth, oldestAge } = await scrape();
    expect(depth).toBe(2);
    expect(oldestAge).toBeGreaterThanOrEqual(180);
    expect(oldestAge).toBeLessThan(240);
  });

  it("leaves out jobs a worker is running, jobs not due yet and jobs that failed for good", async () => {
    const running = await jobDue(600);
    await t.sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'worker-1' where id = ${running}`;
    await jobDue(-600);
    const failed = await jobDue(900);
    await t.sql`update graphile_worker._private_jobs set attempts = max_attempts where id = ${failed}`;
    await jobDue(5);
    const { depth, oldestAge } = await scrape();
    expect(depth).toBe(1);
    expect(oldestAge).toBeGreaterThanOrEqual(5);
    expect(oldestAge).toBeLessThan(60);
  });

  it("reports 0 when nothing waits", async () => {
    expect(await scrape()).toEqual({ depth: 0, oldestAge: 0 });
  });
});
