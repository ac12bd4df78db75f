// The answer store gives back exactly what the verbs compute (the golden figures survive the trip through
// jsonb), and the worker's refresh recomputes the answers people asked for lately, before they go stale,
// without counting its own refreshes as asking; answers nobody asked for in a day are forgotten.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { analyticsAnswers } from "@/db/schema";
import { createIncident } from "@/lib/incidents/create-incident";
import { loadConfig } from "@/lib/env";
import { createLogger } from "@/lib/observability/logger";
import { getRuntime, setRuntime } from "@/lib/runtime";
import { admin, ctxOf, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { useTestRuntime } from "@/test/runtime";
import {
  cachedDistribution,
  cachedNoise,
  cachedNotificationVolume,
  cachedRemediationSuccess,
  cachedSummary,
  cachedTrends,
} from "../cached-verbs";
import { getAlertNoise } from "../get-alert-noise";
import { getAnalyticsSummary } from "../get-analytics-summary";
import { getDurationDistribution } from "../get-duration-distribution";
import { getDurationTrends } from "../get-duration-trends";
import { getNotificationVolume } from "../get-notification-volume";
import { getRemediationSuccess } from "../get-remediation-success";
import {
  MAX_STORED_ANSWERS,
  REFRESH_JOB,
  refreshAnalyticsAnswers,
  refreshAnalyticsJob,
  scheduleAnalyticsRefresh,
} from "../refresh-answers-job";
import { addGoldenAlerts, addGoldenNotifications, createGoldenIncidents, goldenRange } from "./golden-incidents";

const t = useTestDatabase();
useTestRuntime(t);
const TTL = 60_000;
const at = new Date("2026-11-28T08:00:00Z");
const ctx = (now = at) => ctxOf(t.db, viewer, now);

beforeAll(async () => {
  const ids = await createGoldenIncidents(t.db);
  await addGoldenAlerts(t, ids);
  await addGoldenNotifications(t, ids);
});

const rowOf = async (keyPart: string) =>
  (
    await t.db
      .select()
      .from(analyticsAnswers)
      .where(sql`${analyticsAnswers.key} like ${`%${keyPart}%`}`)
  )[0];

describe("stored answers", () => {
  it("are the verbs' own figures, to the last digit, for every analytics verb", async () => {
    const pairs: [unknown, unknown][] = [
      [
        await cachedSummary({ ctx: ctx(), input: { ...goldenRange, group_by: "team" }, ttlMs: TTL }),
        await getAnalyticsSummary({ ctx: ctx(), input: { ...goldenRange, group_by: "team" } }),
      ],
      [
        await cachedTrends({ ctx: ctx(), input: { ...goldenRange, bucket: "day" }, ttlMs: TTL }),
        await getDurationTrends({ ctx: ctx(), input: { ...goldenRange, bucket: "day" } }),
      ],
      [
        await cachedDistribution({ ctx: ctx(), input: goldenRange, ttlMs: TTL }),
        await getDurationDistribution({ ctx: ctx(), input: goldenRange }),
      ],
      [
        await cachedNoise({ ctx: ctx(), input: goldenRange, ttlMs: TTL }),
        await getAlertNoise({ ctx: ctx(), input: goldenRange }),
      ],
      [
        await cachedNotificationVolume({ ctx: ctx(), input: goldenRange, ttlMs: TTL }),
        await getNotificationVolume({ ctx: ctx(), input: goldenRange }),
      ],
      [
        await cachedRemediationSuccess({ ctx: ctx(), input: goldenRange, ttlMs: TTL }),
        await getRemediationSuccess({ ctx: ctx(), input: goldenRange }),
      ],
    ];
    for (const [first, computed] of pairs) expect(first).toEqual(computed);
    // The second asks are answered from the store, after the trip through jsonb: the same figures again.
    const again = [
      await cachedSummary({ ctx: ctx(), input: { ...goldenRange, group_by: "team" }, ttlMs: TTL }),
      await cachedTrends({ ctx: ctx(), input: { ...goldenRange, bucket: "day" }, ttlMs: TTL }),
      await cachedDistribution({ ctx: ctx(), input: goldenRange, ttlMs: TTL }),
      await cachedNoise({ ctx: ctx(), input: goldenRange, ttlMs: TTL }),
      await cachedNotificationVolume({ ctx: ctx(), input: goldenRange, ttlMs: TTL }),
      await cachedRemediationSuccess({ ctx: ctx(), input: goldenRange, ttlMs: TTL }),
    ];
    again.forEach((answer, i) => {
      expect(answer).not.toBe(pairs[i]![0]); // read back, not the object computed
      expect(answer).toEqual(pairs[i]![1]);
    });
    expect(
      await t.db.select({ verb: analyticsAnswers.verb }).from(analyticsAnswers).orderBy(analyticsAnswers.verb),
    ).toEqual(["distribution", "noise", "notifications", "remediation", "summary", "trends"].map((verb) => ({ verb })));
  });

  it("share one computation between requests that arrive together", async () => {
    const input = { from: "2026-10-01", to: "2026-10-02", group_by: "service" as const };
    const [a, b] = await Promise.all([
      cachedSummary({ ctx: ctx(), input, ttlMs: TTL }),
      cachedSummary({ ctx: ctx(), input, ttlMs: TTL }),
    ]);
    expect(a).toBe(b);
  });
});

describe("the worker's refresh", () => {
  const query = { range: "7d", group_by: "team" } as const;
  const rolling = '"range":"7d"';
  const storedTeamCount = async () =>
    ((await rowOf(rolling))?.answer as { groups: { key: string; count: number }[] }).groups.find(
      (g) => g.key === "refresh",
    )?.count;
  const addIncident = () =>
    createIncident({
      ctx: ctxOf(t.db, admin, new Date(Date.now() - 60_000)),
      input: { title: "refresh check", severity: "P3", team: "refresh" },
    });

  it("recomputes a rolling-range answer asked for lately once it is half a TTL old, and leaves the time it was asked alone", async () => {
    await addIncident();
    const asked = new Date(Date.now() - 40_000);
    await cachedSummary({ ctx: ctx(asked), input: query, ttlMs: TTL });
    expect(await storedTeamCount()).toBe(1);
    await addIncident();

    // 10 s after it was computed it is fresh enough: nothing to do.
    expect(await refreshAnalyticsAnswers(t.db, TTL, new Date(asked.getTime() + 10_000))).toMatchObject({
      refreshed: 0,
    });
    expect(await storedTeamCount()).toBe(1);

    expect(await refreshAnalyticsAnswers(t.db, TTL, new Date())).toMatchObject({ refreshed: 1, failed: 0 });
    expect(await storedTeamCount()).toBe(2);
    const row = await rowOf(rolling);
    expect(row!.requestedAt.getTime()).toBe(asked.getTime());
    expect(row!.computedAt.getTime()).toBeGreaterThan(asked.getTime());
    expect(Date.parse((row!.answer as { to: string }).to)).toBe(row!.computedAt.getTime()); // the range rolled forward
  });

  it("does not refresh fixed ranges (anyone may ask for any number of them): the next request computes them", async () => {
    const old = new Date(Date.now() - 45_000);
    await cachedSummary({ ctx: ctx(old), input: { from: "2026-12-01", to: "2026-12-08" }, ttlMs: TTL });
    const before = await rowOf('"2026-12-01T00:00:00.000Z"');
    expect(before).toBeDefined();
    await refreshAnalyticsAnswers(t.db, TTL, new Date());
    expect((await rowOf('"2026-12-01T00:00:00.000Z"'))!.computedAt.getTime()).toBe(old.getTime());
  });

  it("leaves answers nobody asked for in 15 minutes to the next request, and forgets those unasked for a day", async () => {
    const now = new Date();
    await t.db
      .update(analyticsAnswers)
      .set({ requestedAt: new Date(now.getTime() - 20 * 60_000), computedAt: new Date(now.getTime() - 20 * 60_000) })
      .where(sql`${analyticsAnswers.key} like ${`%${rolling}%`}`);
    expect(await refreshAnalyticsAnswers(t.db, TTL, now)).toMatchObject({ refreshed: 0, forgotten: 0 });
    expect((await rowOf(rolling))!.computedAt.getTime()).toBe(now.getTime() - 20 * 60_000);

    await t.db
      .update(analyticsAnswers)
      .set({ requestedAt: new Date(now.getTime() - 25 * 3_600_000) })
      .where(sql`${analyticsAnswers.key} like ${`%${rolling}%`}`);
    expect(await refreshAnalyticsAnswers(t.db, TTL, now)).toMatchObject({ forgotten: 1 });
    expect(await rowOf(rolling)).toBeUndefined();
  });

  it("drops an answer it cannot compute and goes on; leaves verbs it does not know alone", async () => {
    const old = new Date(Date.now() - 45_000);
    await t.db.insert(analyticsAnswers).values([
      {
        key: "summary broken",
        verb: "summary",
        input: { range: "999d" },
        answer: {},
        computedAt: old,
        requestedAt: old,
      },
      { key: "retired verb", verb: "retired", input: {}, answer: {}, computedAt: old, requestedAt: old },
      {
        key: "distribution ok",
        verb: "distribution",
        input: { range: "1d" },
        answer: {},
        computedAt: old,
        requestedAt: old,
      },
    ]);
    const errors: string[] = [];
    const outcome = await refreshAnalyticsAnswers(t.db, TTL, new Date(), (_error, key) => errors.push(key));
    expect(outcome).toMatchObject({ refreshed: 1, failed: 1 });
    expect(errors).toEqual(["summary broken"]);
    expect(await rowOf("summary broken")).toBeUndefined();
    expect((await rowOf("distribution ok"))!.answer).toMatchObject({ bins: expect.any(Array) });
    expect((await rowOf("retired verb"))!.computedAt.getTime()).toBe(old.getTime());
    await t.db.delete(analyticsAnswers).where(sql`${analyticsAnswers.key} in ('retired verb', 'distribution ok')`);
  });

  it("keeps at most MAX_STORED_ANSWERS, the most recently asked for", async () => {
    const now = Date.now();
    const rows = Array.from({ length: MAX_STORED_ANSWERS + 5 }, (_, i) => ({
      key: `filler ${i}`,
      verb: "retired",
      input: {},
      answer: {},
      computedAt: new Date(now - i * 1000),
      requestedAt: new Date(now - i * 1000),
    }));
    await t.db.insert(analyticsAnswers).values(rows);
    await refreshAnalyticsAnswers(t.db, TTL, new Date());
    const kept = await t.db.select({ key: analyticsAnswers.key }).from(analyticsAnswers);
    expect(kept.length).toBe(MAX_STORED_ANSWERS);
    expect(kept.map((r) => r.key)).toContain("filler 0");
    expect(kept.map((r) => r.key)).not.toContain(`filler ${MAX_STORED_ANSWERS + 4}`);
    await t.db.delete(analyticsAnswers).where(sql`true`);
  });

  it("the job puts its next run on the queue, a quarter TTL ahead, under one job key", async () => {
    const { config } = getRuntime();
    setRuntime({
      config: { ...config, analyticsCacheTtlMs: loadConfig({ ANALYTICS_CACHE_TTL: "60s" }).analyticsCacheTtlMs },
      database: t,
      logger: createLogger("silent"),
    });
    const logger = createLogger("silent");
    const before = Date.now();
    await refreshAnalyticsJob.handler(
      {},
      { jobId: "1", attempt: 1, maxAttempts: 5, logger, db: t.db, config: getRuntime().config },
    );
    await refreshAnalyticsJob.handler(
      {},
      { jobId: "2", attempt: 1, maxAttempts: 5, logger, db: t.db, config: getRuntime().config },
    );
    const queued = await t.sql<{ run_at: string }[]>`
      select j.run_at from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id where k.identifier = ${REFRESH_JOB}`;
    expect(queued).toHaveLength(1);
    const ahead = new Date(queued[0]!.run_at).getTime() - before;
    expect(ahead).toBeGreaterThanOrEqual(14_000);
    expect(ahead).toBeLessThan(25_000);

    // The worker's watchdog plans a run only when none is planned: it leaves this one's time alone.
    await scheduleAnalyticsRefresh(t.db, new Date(), "preserve_run_at");
    const after = await t.sql<{ run_at: string }[]>`
      select j.run_at from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id where k.identifier = ${REFRESH_JOB}`;
    expect(after.map((j) => new Date(j.run_at).getTime())).toEqual([new Date(queued[0]!.run_at).getTime()]);
  });
});
