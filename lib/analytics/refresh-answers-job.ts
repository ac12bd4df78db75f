// The worker keeps the stored analytics answers fresh: every quarter of ANALYTICS_CACHE_TTL it recomputes
// the answers someone asked for in the last REFRESH_WHILE_ASKED_MS that are half a TTL old, so the page's
// rolling ranges are served from the store and never wait for the percentiles. The job schedules its own next run first (one job
// key, so a restarted or second worker never doubles it), and answers nobody asked for in a day go.
import { and, asc, gt, lt, lte } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { analyticsAnswers } from "@/db/schema";
import { systemActor } from "../context";
import { enqueueJob } from "../jobs/enqueue";
import { defineJob } from "../jobs/job-definition";
import { getRuntime } from "../runtime";
import { computeAndStore } from "./answer-store";
import { analyticsVerbs } from "./cached-verbs";

export const REFRESH_JOB = "analytics.refresh";
/** Answers asked for within this long are kept fresh; older ones are computed again when next asked. */
export const REFRESH_WHILE_ASKED_MS = 15 * 60_000;
/** The most answers one run recomputes: a bound on the worker's work however many ranges people ask for. */
export const MAX_REFRESHED_PER_RUN = 50;
const FORGET_AFTER_MS = 24 * 3_600_000;

/**
 * How often the job runs: a quarter of the TTL. An answer is refreshed once it is half a TTL old, so it is
 * at most three quarters of a TTL old (plus the run's own time) when its new figures land: never past the
 * TTL, when a request would have to compute it. (Running every half TTL let answers reach the full TTL:
 * bench/README.md.)
 */
export const refreshIntervalMs = (ttlMs: number) => Math.max(1_000, Math.floor(ttlMs / 4));
/** The age at which an answer asked for lately is recomputed. */
export const refreshAgeMs = (ttlMs: number) => Math.floor(ttlMs / 2);

/** Puts the next refresh on the queue (the worker at start, and every run for the one after it). */
export async function scheduleAnalyticsRefresh(db: DbOrTx, runAt: Date): Promise<void> {
  await enqueueJob(db, REFRESH_JOB, {}, { jobKey: REFRESH_JOB, runAt, maxAttempts: 5 });
}

/**
 * Recomputes the answers asked for lately that are older than half the TTL, oldest first. One failing
 * answer is logged and the others go on; the next run tries it again.
 */
export async function refreshAnalyticsAnswers(db: DbOrTx, ttlMs: number, now: Date, log: (error: unknown, key: string) => void = () => {}): Promise<{ refreshed: number; failed: number; forgotten: number }> {
  const due = await db
    .select({ key: analyticsAnswers.key, verb: analyticsAnswers.verb, input: analyticsAnswers.input, requestedAt: analyticsAnswers.requestedAt })
    .from(analyticsAnswers)
    .where(and(gt(analyticsAnswers.requestedAt, new Date(now.getTime() - REFRESH_WHILE_ASKED_MS)), lte(analyticsAnswers.computedAt, new Date(now.getTime() - refreshAgeMs(ttlMs)))))
    .orderBy(asc(analyticsAnswers.computedAt))
    .limit(MAX_REFRESHED_PER_RUN);
  let refreshed = 0;
  let failed = 0;
  for (const row of due) {
    const verb = analyticsVerbs.get(row.verb);
    if (!verb) continue; // a verb an older version stored; it is forgotten in a day
    try {
      // Each answer for its own moment: a rolling range ends when its figures were computed.
      await computeAndStore(verb, { db, actor: systemActor("Vigil analytics"), now: new Date() }, row.input, { key: row.key, requestedAt: row.requestedAt });
      refreshed++;
    } catch (error) {
      failed++;
      log(error, row.key);
    }
  }
  const forgotten = await db
    .delete(analyticsAnswers)
    .where(lt(analyticsAnswers.requestedAt, new Date(now.getTime() - FORGET_AFTER_MS)))
    .returning({ key: analyticsAnswers.key });
  return { refreshed, failed, forgotten: forgotten.length };
}

export const refreshAnalyticsJob = defineJob({
  name: REFRESH_JOB,
  payload: z.object({}),
  maxAttempts: 5,
  async handler(_payload, job) {
    const { config, database } = getRuntime();
    const ttlMs = config.analyticsCacheTtlMs;
    if (ttlMs <= 0) return; // nothing is stored; the worker starts the cycle again if the setting changes
    const now = new Date();
    await scheduleAnalyticsRefresh(database.db, new Date(now.getTime() + refreshIntervalMs(ttlMs)));
    const outcome = await refreshAnalyticsAnswers(database.db, ttlMs, now, (err, key) => job.logger.warn({ err, key }, "analytics answer could not be refreshed"));
    if (outcome.refreshed + outcome.failed + outcome.forgotten > 0) job.logger.debug(outcome, "analytics answers refreshed");
  },
});
