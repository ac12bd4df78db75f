// The board's reads as recently answered (list pages, counts, an incident and its timeline), kept in the
// web process: during an incident every open board and incident page refetches the same reads after each
// change, and each then costs one query however many ask. Nothing stale is served on purpose:
// - every change to an incident writes a timeline event whose NOTIFY (lib/live/incident-events.ts) drops
//   every kept answer, in every process and replica, when it commits;
// - a write request this process served drops them before it answers (lib/http/api-route.ts), so its
//   caller reads its own write even before the NOTIFY comes back;
// - a read that a change overtook is handed to its callers but not kept;
// - postgres.js taking the LISTEN again on a new connection drops them too (notices may have been missed);
// - INCIDENT_READ_CACHE_TTL bounds the rest: a notice missed while the LISTEN is down, and an owner's new
//   name or email, which is not an incident change.
import type postgres from "postgres";
import { subscribeToIncidentEvents } from "../live/incident-events";

export interface IncidentReadCache {
  /**
   * The answer for `key` (the read and its parsed input): a kept one younger than the time-to-live, else
   * `read()`'s (not kept when it fails). Concurrent misses of one key share one read. While not
   * listening, always `read()`.
   */
  get(key: string, read: () => Promise<string>): Promise<string>;
  /** Drops every kept answer and every read under way: something may have changed them. */
  dropAll(): void;
  /** Resolves once the LISTEN is in place and answers may be kept (tests). */
  listening(): Promise<void>;
  close(): void;
}

export interface IncidentReadCacheOptions {
  ttlMs: number;
  /** Kept answers' total size in characters; the oldest go first. */
  maxChars?: number;
  now?: () => number;
}

interface Kept {
  text: string;
  until: number;
}

export function createIncidentReadCache(sqlClient: postgres.Sql, options: IncidentReadCacheOptions): IncidentReadCache {
  const { ttlMs } = options;
  const maxChars = options.maxChars ?? 16_000_000;
  const now = options.now ?? Date.now;
  const kept = new Map<string, Kept>();
  const reads = new Map<string, Promise<string>>();
  let keptChars = 0;
  /** Moves on every drop: a read that started before one is not kept. */
  let generation = 0;
  let listening = false;
  let subscription: ReturnType<typeof subscribeToIncidentEvents> | null = null;

  const dropAll = () => {
    generation++;
    kept.clear();
    reads.clear();
    keptChars = 0;
  };

  const subscribe = () => {
    subscription ??= subscribeToIncidentEvents(sqlClient, dropAll, dropAll);
    return subscription.listening.then(() => {
      listening = subscription !== null;
    });
  };

  const keep = (key: string, text: string, until: number) => {
    if (text.length > maxChars) return;
    while (keptChars + text.length > maxChars) {
      const oldest = kept.keys().next().value!;
      keptChars -= kept.get(oldest)!.text.length;
      kept.delete(oldest);
    }
    kept.set(key, { text, until });
    keptChars += text.length;
  };

  return {
    async get(key, read) {
      if (ttlMs <= 0) return read();
      if (!listening) {
        void subscribe().catch(() => {});
        return read();
      }
      const started = now();
      const hit = kept.get(key);
      if (hit && hit.until > started) return hit.text;
      if (hit) {
        kept.delete(key);
        keptChars -= hit.text.length;
      }
      const pending = reads.get(key);
      if (pending) return pending;
      const at = generation;
      const reading = read().then((text) => {
        if (at === generation && listening) keep(key, text, started + ttlMs);
        return text;
      });
      reads.set(key, reading);
      const forget = () => {
        if (reads.get(key) === reading) reads.delete(key);
      };
      reading.then(forget, forget);
      return reading;
    },
    dropAll,
    listening: () => (ttlMs > 0 ? subscribe() : Promise.resolve()),
    close() {
      listening = false;
      subscription?.unsubscribe();
      subscription = null;
      dropAll();
    },
  };
}
