// Analytics answers, kept for a short while (ANALYTICS_CACHE_TTL, 60 s by default; 0 turns it off).
// Exact percentiles over a quarter of incidents cost a few hundred milliseconds of database time, and
// the same figures are asked for again and again: the page's panels, every reload, everyone looking at
// the same week after an incident review. A figure is at most one TTL old, which the analytics issue
// allows ("rollups kept fresh within a minute"); per process, so replicas each keep their own.
// Concurrent requests for the same figures share one computation.
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";

interface Entry {
  at: number;
  value: Promise<unknown>;
}

const entries = new Map<string, Entry>();
const MAX_ENTRIES = 500;

/** Keys of an input in a fixed order, so `{a, b}` and `{b, a}` share an answer. */
const stableKey = (value: unknown): string =>
  value && typeof value === "object" && !Array.isArray(value)
    ? `{${Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${stableKey((value as Record<string, unknown>)[k])}`)
        .join(",")}}`
    : JSON.stringify(value ?? null);

/**
 * The verb, answering from the cache when it computed the same input less than `ttlMs` ago. The caller's
 * right to read analytics is checked first, every time: a cached answer is no answer for someone who may
 * not see it.
 */
export function cachedAnalytics<I, O>(name: string, verb: (args: VerbArgs<I>) => Promise<O>) {
  return async ({ ctx, input, ttlMs }: VerbArgs<I> & { ttlMs: number }): Promise<O> => {
    authorize(ctx.actor, "analytics.read");
    if (ttlMs <= 0) return verb({ ctx, input });
    const key = `${name} ${stableKey(input)}`;
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value as Promise<O>;
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    const value = verb({ ctx, input });
    entries.set(key, { at: now, value });
    // A failure is not remembered: the next request computes again.
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };
}

/** Forgets every kept answer (tests). */
export const clearAnalyticsCache = () => entries.clear();
