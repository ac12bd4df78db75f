import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { queuedJobs } from "@/test/jobs";
import { addJobsSql, jobSpec } from "../job-specs";

const t = useTestDatabase();

const spec = (identifier: string, payload: Record<string, unknown>, jobKey?: string) =>
  sql`select ${jobSpec({
    identifier,
    payload: sql`${JSON.stringify(payload)}::json`,
    jobKey: jobKey === undefined ? undefined : sql`${jobKey}::text`,
    maxAttempts: 3,
    priority: -5,
  })} as spec`;

/**
 * The job-insert notifications graphile-worker's add_jobs sent while `run` ran, on a listening connection:
 * waits for the `expected` ones to arrive, then a little longer for any more.
 */
async function insertNotices(run: () => Promise<unknown>, expected: number): Promise<number> {
  let notices = 0;
  const listener = await t.sql.listen("jobs:insert", () => notices++);
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  try {
    await run();
    for (let waited = 0; notices < expected && waited < 5000; waited += 50) await pause(50);
    await pause(200);
  } finally {
    await listener.unlisten();
  }
  return notices;
}

describe("jobs enqueued together (addJobsSql)", () => {
  beforeEach(async () => {
    await t.sql`delete from graphile_worker._private_jobs`;
  });

  it("enqueues every job the selects name in one add_jobs call, with their options", async () => {
    let rows: unknown[] = [];
    const notices = await insertNotices(async () => {
      rows = await t.db.execute(addJobsSql([spec("a.task", { n: 1 }), spec("b.task", { n: 2 }, "b:1")]));
    }, 1);
    expect(rows).toHaveLength(2);
    expect(notices).toBe(1); // one call, so one wake-up for the workers
    expect(await queuedJobs(t)).toEqual([
      { task: "a.task", payload: { n: 1 } },
      { task: "b.task", payload: { n: 2 } },
    ]);
    const options = await t.sql<{ key: string | null; max_attempts: number; priority: number }[]>`
      select key, max_attempts, priority from graphile_worker._private_jobs order by id`;
    expect(options).toEqual([
      { key: null, max_attempts: 3, priority: -5 },
      { key: "b:1", max_attempts: 3, priority: -5 },
    ]);
  });

  it("enqueues a key named twice once, as the last names it, where add_jobs alone would refuse the call", async () => {
    await t.db.execute(
      addJobsSql([spec("c.task", { n: 1 }, "c:1"), spec("d.task", { n: 2 }), spec("c.task", { n: 3 }, "c:1")]),
    );
    expect(await queuedJobs(t)).toEqual([
      { task: "d.task", payload: { n: 2 } },
      { task: "c.task", payload: { n: 3 } },
    ]);
  });

  it("does not call add_jobs, nor wake a worker, when no select has a row", async () => {
    const none = sql`select ${jobSpec({ identifier: "d.task", payload: sql`'{}'::json` })} as spec where false`;
    const notices = await insertNotices(() => t.db.execute(addJobsSql([none])), 0);
    expect(notices).toBe(0);
    expect(await queuedJobs(t)).toEqual([]);
  });
});
