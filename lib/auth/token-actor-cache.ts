// API tokens as last read from PostgreSQL, kept in the process for a few seconds so that a request does not
// read its token again; likewise the integration a token is the secret of, which every alert-source door
// reads. A change to an integration announces its token, as a revocation does. Revocation stays immediate everywhere: the revoking transaction NOTIFYs (PostgreSQL
// delivers it on commit, to every process and replica) and each process LISTENs on one connection of its
// own. While that connection is down nothing is served from here, and what was read before it dropped is
// thrown away, because a notification may have been missed meanwhile.
import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { DbOrTx } from "@/db/client";
import type { IntegrationRow } from "@/db/schema";
import type { Role } from "./roles";
import type { TokenScope } from "./token-scopes";

export const API_TOKEN_CHANGES_CHANNEL = "vigil_api_token_changes";
/** The payload that drops every entry (a person's role or status changed). */
const EVERY_TOKEN = "*";

/** What authenticating a token needs of its row. */
export interface LiveToken {
  id: string;
  name: string;
  role: Role;
  scope: TokenScope;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export interface TokenActorCache {
  /** The token as read less than the time-to-live ago, unless it changed since; undefined: read it. */
  get(tokenHash: string, nowMs: number): LiveToken | undefined;
  /**
   * Take before reading a token from the database and give to `put`: a read that a change overtook is
   * not kept. Null while not listening (then nothing may be kept).
   */
  generation(): number | null;
  put(tokenHash: string, token: LiveToken, generation: number | null, nowMs: number): void;
  /** The integration whose secret this token is (null: none) as read less than the time-to-live ago; undefined: read it. */
  getIntegration(tokenId: string, nowMs: number): IntegrationRow | null | undefined;
  putIntegration(tokenId: string, integration: IntegrationRow | null, generation: number | null, nowMs: number): void;
  /** Drops a token's entry (its id), or every entry with "*". */
  forget(tokenId: string): void;
  /** Resolves once the LISTEN is in place (tests, and whoever wants the cache warm from the start). */
  listening(): Promise<void>;
  close(): Promise<void>;
}

export interface TokenActorCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** Wait before listening again after the connection failed. */
  retryMs?: number;
  /** Tests: hears this process's revocations only through NOTIFY, as another process's cache does. */
  asAnotherProcess?: boolean;
}

/** Every cache of this process, so that a revocation made here drops its entries before the NOTIFY comes back. */
const cachesKey = Symbol.for("vigil.token-actor-caches");
const processCaches = ((globalThis as typeof globalThis & { [cachesKey]?: Set<TokenActorCache> })[cachesKey] ??=
  new Set());

/**
 * Announces that a token changed (its id), or that every token's actor may have ("*"), on the caller's
 * transaction: other processes hear it on commit; this process's caches drop the entry now.
 */
export async function announceTokenChange(db: DbOrTx, tokenId: string): Promise<void> {
  for (const cache of processCaches) cache.forget(tokenId);
  await db.execute(sql`select pg_notify(${API_TOKEN_CHANGES_CHANNEL}, ${tokenId})`);
}

export const announceEveryTokenChanged = (db: DbOrTx) => announceTokenChange(db, EVERY_TOKEN);

export function createTokenActorCache(databaseUrl: string, options: TokenActorCacheOptions = {}): TokenActorCache {
  const ttlMs = options.ttlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 1_000;
  const retryMs = options.retryMs ?? 1_000;
  const entries = new Map<string, { token: LiveToken; until: number }>();
  const integrations = new Map<string, { integration: IntegrationRow | null; until: number }>();
  let generation = 0;
  /** Times the LISTEN connection dropped: a LISTEN that one overtook does not count. */
  let drops = 0;
  let listening = false;
  let closed = false;
  let attempt: Promise<void> | null = null;

  const forget = (tokenId: string) => {
    generation++;
    if (tokenId === EVERY_TOKEN) {
      entries.clear();
      integrations.clear();
    } else {
      for (const [hash, entry] of entries) if (entry.token.id === tokenId) entries.delete(hash);
      integrations.delete(tokenId);
    }
  };

  /** Keeps a read unless a change overtook it; oldest first out (a Map iterates in insertion order). */
  const keep = <K, V>(map: Map<K, V>, key: K, value: V, at: number | null) => {
    if (at === null || at !== generation || !listening) return;
    map.delete(key);
    if (map.size >= maxEntries) map.delete(map.keys().next().value!);
    map.set(key, value);
  };
  const fresh = <K, V extends { until: number }>(map: Map<K, V>, key: K, nowMs: number): V | undefined => {
    if (!listening) {
      void ensureListening();
      return undefined;
    }
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.until <= nowMs) {
      map.delete(key);
      return undefined;
    }
    return entry;
  };

  // postgres.js's own `listen` re-listens after a reconnect but says nothing of the gap, during which a
  // revocation could be missed; on a connection of our own, `onclose` tells us. `onnotify` is an option
  // postgres.js reads (its `listen` uses it) that its types leave out.
  const connection = postgres(databaseUrl, {
    max: 1,
    // Held for good: a LISTEN lives only as long as its connection.
    idle_timeout: 0,
    max_lifetime: 0,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: "vigil-token-cache" },
    onclose: () => {
      listening = false;
      drops++;
      generation++;
      entries.clear();
      integrations.clear();
      if (!closed) void ensureListening();
    },
    ...({ onnotify: (_channel: string, payload: string) => forget(payload) } as object),
  });

  /** One attempt at a time, retried until the LISTEN holds (or the cache is closed); never rejects. */
  function ensureListening(): Promise<void> {
    attempt ??= (async () => {
      while (!closed && !listening) {
        const at = drops;
        try {
          await connection.unsafe(`listen "${API_TOKEN_CHANGES_CHANNEL}"`);
          if (drops === at) listening = true;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
        }
      }
    })().finally(() => {
      attempt = null;
    });
    return attempt;
  }

  const cache: TokenActorCache = {
    get: (tokenHash, nowMs) => fresh(entries, tokenHash, nowMs)?.token,
    generation: () => (listening ? generation : null),
    put: (tokenHash, token, at, nowMs) => keep(entries, tokenHash, { token, until: nowMs + ttlMs }, at),
    getIntegration: (tokenId, nowMs) => fresh(integrations, tokenId, nowMs)?.integration,
    putIntegration: (tokenId, integration, at, nowMs) =>
      keep(integrations, tokenId, { integration, until: nowMs + ttlMs }, at),
    forget,
    listening: ensureListening,
    async close() {
      closed = true;
      listening = false;
      entries.clear();
      integrations.clear();
      processCaches.delete(cache);
      await connection.end({ timeout: 5 });
    },
  };
  if (!options.asAnotherProcess) processCaches.add(cache);
  return cache;
}
