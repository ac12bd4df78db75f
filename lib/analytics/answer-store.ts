// Analytics answers, kept in the database for ANALYTICS_CACHE_TTL (60 s by default; 0 turns it off) and
// shared by every web replica. Exact percentiles over a quarter of incidents cost a few hundred
// milliseconds, and the same figures are asked for again and again: the page's panels, every reload,
// everyone looking at the last 90 days after an incident review. So an answer is computed once, stored,
// and served until it is a TTL old; the worker recomputes the answers asked for lately at half a TTL
// (refresh-answers-job.ts), so a rolling range such as `range=90d` is served from here and is at most a
// TTL old (the analytics issue's "rollups kept fresh within a minute"). The caller's right to read
// analytics is checked on every request; the figures themselves are the same for every role.
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { analyticsAnswers } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { Ctx, VerbArgs } from "../context";
import { parseInput } from "../input";
import { getRuntime } from "../runtime";
import { canonicalInstant } from "./time-range";

/** An analytics verb with its query schema: the store keys answers by the parsed query. */
export interface AnalyticsVerb<S extends z.ZodType = z.ZodType, O = unknown> {
  name: string;
  query: S;
  compute: (args: VerbArgs<z.input<S>>) => Promise<O>;
}

export const analyticsVerb = <S extends z.ZodType, O>(
  name: string,
  query: S,
  compute: (args: VerbArgs<z.input<S>>) => Promise<O>,
): AnalyticsVerb<S, O> => ({ name, query, compute });

/** Keys of an object in a fixed order, so `{a, b}` and `{b, a}` name the same answer. */
const stableJson = (value: unknown): string =>
  value && typeof value === "object" && !Array.isArray(value)
    ? `{${Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
        .join(",")}}`
    : JSON.stringify(value ?? null);

/**
 * The answer's key: the verb and its *parsed* query. Parsing drops unknown parameters and fills in the
 * defaults, so `?group_by=severity` and no group_by share an answer; instants are spelled one way. (Custom
 * ranges can still make many keys; the worker refreshes only rolling ones, and the table is capped.)
 */
export const answerKey = (verb: AnalyticsVerb, parsedQuery: unknown) => `${verb.name} ${stableJson(parsedQuery)}`;

/** The parsed query with `from` / `to` in one spelling, so the same range is one answer. */
function canonicalQuery<Q>(query: Q): Q {
  if (!query || typeof query !== "object") return query;
  const copy = { ...(query as Record<string, unknown>) };
  for (const bound of ["from", "to"]) if (typeof copy[bound] === "string") copy[bound] = canonicalInstant(copy[bound]);
  return copy as Q;
}

/** The store is a cache: when a write to it fails, the figures are still the answer. */
async function bestEffort(what: string, key: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    getRuntime().logger.warn({ err: error, key }, `analytics answer store: ${what} failed`);
  }
}

// Requests for the same answer that arrive while one is being read or computed wait for that one.
const inFlight = new Map<string, Promise<unknown>>();

function shared<O>(key: string, work: () => Promise<O>): Promise<O> {
  const running = inFlight.get(key);
  if (running) return running as Promise<O>;
  const promise = work().finally(() => inFlight.delete(key));
  inFlight.set(key, promise);
  return promise;
}

/** The verb's answer for this query: from the store when it is younger than `ttlMs`, else computed and stored. */
export async function storedAnswer<S extends z.ZodType, O>(
  verb: AnalyticsVerb<S, O>,
  { ctx, input, ttlMs }: VerbArgs<z.input<S>> & { ttlMs: number },
): Promise<O> {
  authorize(ctx.actor, "analytics.read");
  if (ttlMs <= 0) return verb.compute({ ctx, input });
  const query = canonicalQuery(parseInput(verb.query, input, "query")) as z.input<S>;
  const key = answerKey(verb, query);
  return shared(key, async () => {
    const [kept] = await ctx.db
      .select({
        answer: analyticsAnswers.answer,
        computedAt: analyticsAnswers.computedAt,
        requestedAt: analyticsAnswers.requestedAt,
      })
      .from(analyticsAnswers)
      .where(eq(analyticsAnswers.key, key));
    if (kept && ctx.now.getTime() - kept.computedAt.getTime() < ttlMs) {
      // Tells the worker someone still looks; at most once per half TTL, so reads stay reads.
      if (ctx.now.getTime() - kept.requestedAt.getTime() >= ttlMs / 2) {
        await bestEffort("noting the request", key, () =>
          ctx.db.update(analyticsAnswers).set({ requestedAt: ctx.now }).where(eq(analyticsAnswers.key, key)),
        );
      }
      return kept.answer as O;
    }
    return compute(verb, ctx, query, key, ctx.now);
  });
}

/**
 * Computes the answer afresh and stores it: the worker's refresh. It passes the time the answer was last
 * asked for, so that its own refreshes do not count as asking.
 */
export const computeAndStore = <S extends z.ZodType, O>(
  verb: AnalyticsVerb<S, O>,
  ctx: Ctx,
  query: z.input<S>,
  options: { key: string; requestedAt: Date },
): Promise<O> => shared(options.key, () => compute(verb, ctx, query, options.key, options.requestedAt));

async function compute<S extends z.ZodType, O>(
  verb: AnalyticsVerb<S, O>,
  ctx: Ctx,
  query: z.input<S>,
  key: string,
  requestedAt: Date,
): Promise<O> {
  const answer = await verb.compute({ ctx, input: query });
  await bestEffort("storing", key, () =>
    storeAnswer(ctx.db, { key, verb: verb.name, input: query, answer, computedAt: ctx.now, requestedAt }),
  );
  return answer;
}
async function storeAnswer(
  db: DbOrTx,
  row: { key: string; verb: string; input: unknown; answer: unknown; computedAt: Date; requestedAt: Date },
) {
  await db
    .insert(analyticsAnswers)
    .values(row)
    .onConflictDoUpdate({
      target: analyticsAnswers.key,
      set: {
        answer: sql`excluded.answer`,
        computedAt: sql`excluded.computed_at`,
        requestedAt: sql`greatest(${analyticsAnswers.requestedAt}, excluded.requested_at)`,
      },
      // Two replicas computing at once: the later figures stay.
      setWhere: sql`${analyticsAnswers.computedAt} <= excluded.computed_at`,
    });
}
