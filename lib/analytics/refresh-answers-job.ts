// The worker keeps the stored rolling-range analytics answers fresh (the page's "last 7 / 30 / 90 days"):
// every quarter of ANALYTICS_CACHE_TTL it recomputes those someone asked for lately that are half a TTL
// old, so they are served from the store and nobody waits for the percentiles. Answers for fixed ranges
// (`from` / `to`) are not refreshed: anyone can ask for any number of them, so they are computed again
// by the next request after the TTL. The job schedules its own next run when it ends (one job key, so
// runs never overlap and a restarted or second worker never doubles the cycle); the worker's crontab
// starts the cycle and restarts a broken one (lib/jobs/recurring-jobs.ts).
import { and, desc, eq, gt, inArray, lt, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { analyticsAnswers } from "@/db/schema";
import { systemActor } from "../context";
import { enqueueJob } from "../jobs/enqueue";
import { defineJob } from "../jobs/job-definition";
import { computeAndStore } from "./answer-store";
import { analyticsVerbs } from "./cached-verbs";

export const REFRESH_JOB = "analytics.refresh";
/** Answers asked for within this long (or within a TTL, when that is longer) are kept fresh. */
export const REFRESH_WHILE_ASKED_MS = 15 * 60_000;
/** The most answers one run recomputes: a bound on the worker's work however many ranges people ask for. */
export const MAX_REFRESHED_PER_RUN = 50;
/** The most answers kept; the least recently asked for go first. */
export const MAX_STORED_ANSWERS = 1_000;
const FORGET_AFTER_MS = 24 * 3_600_000;

/**
 * How long after a run ends the next one starts: a quarter of the TTL. An answer is refreshed once it is
 * half a TTL old, so it is about three quarters of a TTL old at most (plus the run's own time) when its new
 * figures land: not past the TTL, when a request would have to compute it. (Every half TTL let answers
 * reach the full TTL: bench/README.md.)
 */
export const refreshIntervalMs = (ttlMs: number) => Math.max(1_000, Math.floor(ttlMs / 4));
/** The age at which an answer asked for lately is recomputed. */
export const refreshAgeMs = (ttlMs: number) => Math.floor(ttlMs / 2);

/**
 * Puts the next refresh on the queue: every run for the one after it. (The worker's crontab adds one each
 * minute in `preserve_run_at` mode when none is planned: lib/jobs/recurring-jobs.ts.)
 */
export async function scheduleAnalyticsRefresh(
  db: DbOrTx,
  runAt: Date,
  mode: "replace" | "preserve_run_at" = "replace",
): Promise<void> {
  await enqueueJob(db, REFRESH_JOB, {}, { jobKey: REFRESH_JOB, jobKeyMode: mode, runAt, maxAttempts: 5 });
}

/**
 * Recomputes the rolling-range answers asked for lately that are half a TTL old, the most recently asked
 * for first. An answer that cannot be computed is logged and dropped (the next request computes it and
 * shows the error); the others go on. Then it forgets answers nobody asked for in a day, and the least
 * recently asked for beyond MAX_STORED_ANSWERS.
 */
export async function refreshAnalyticsAnswers(
  db: DbOrTx,
  ttlMs: number,
  now: Date,
  log: (error: unknown, key: string) => void = () => {},
): Promise<{ refreshed: number; failed: number; forgotten: number }> {
  const askedSince = new Date(now.getTime() - Math.max(REFRESH_WHILE_ASKED_MS, ttlMs));
  const due = await db
    .select({
      key: analyticsAnswers.key,
      verb: analyticsAnswers.verb,
      input: analyticsAnswers.input,
      requestedAt: analyticsAnswers.requestedAt,
    })
    .from(analyticsAnswers)
    .where(
      and(
        gt(analyticsAnswers.requestedAt, askedSince),
        lte(analyticsAnswers.computedAt, new Date(now.getTime() - refreshAgeMs(ttlMs))),
        inArray(analyticsAnswers.verb, [...analyticsVerbs.keys()]),
        sql`${analyticsAnswers.input}->>'from' is null and ${analyticsAnswers.input}->>'to' is null`,
      ),
    )
    .orderBy(desc(analyticsAnswers.requestedAt))
    .limit(MAX_REFRESHED_PER_RUN);
  let refreshed = 0;
  let failed = 0;
  for (const row of due) {
    const verb = analyticsVerbs.get(row.verb)!;
    try {
      // Each answer for its own moment: a rolling range ends when its figures were computed.
      await computeAndStore(verb, { db, actor: systemActor("Vigil analytics"), now: new Date() }, row.input, {
        key: row.key,
        requestedAt: row.requestedAt,
      });
      refreshed++;
    } catch (error) {
      failed++;
      log(error, row.key);
      await db.delete(analyticsAnswers).where(eq(analyticsAnswers.key, row.key));
    }
  }
  const forgotten = await db
    .delete(analyticsAnswers)
    .where(
      sql`${lt(analyticsAnswers.requestedAt, new Date(now.getTime() - FORGET_AFTER_MS))}
        or ${analyticsAnswers.key} in (select key from ${analyticsAnswers} order by requested_at desc offset ${MAX_STORED_ANSWERS})`,
    )
    .returning({ key: analyticsAnswers.key });
  return { refreshed, failed, forgotten: forgotten.length };
}

export const refreshAnalyticsJob = defineJob({
  name: REFRESH_JOB,
  payload: z.object({}),
  maxAttempts: 5,
  async handler(_payload, job) {
    const { config, db } = job;
    const ttlMs = config.analyticsCacheTtlMs;
    if (ttlMs <= 0) return; // nothing is stored; the worker starts the cycle again if the setting changes
    try {
      const outcome = await refreshAnalyticsAnswers(db, ttlMs, new Date(), (err, key) =>
        job.logger.warn({ err, key }, "analytics answer could not be refreshed; dropped"),
      );
      if (outcome.refreshed + outcome.failed + outcome.forgotten > 0)
        job.logger.debug(outcome, "analytics answers refreshed");
    } finally {
      await scheduleAnalyticsRefresh(db, new Date(Date.now() + refreshIntervalMs(ttlMs)));
    }
  },
});
