// Process-wide services for the doors (web routes, pages, worker): configuration, the database pool and
// the logger, created once on first use. Tests install their own with `setRuntime`.
import { createDatabaseClient, type DatabaseClient } from "@/db/client";
import { createTokenActorCache, type TokenActorCache } from "./auth/token-actor-cache";
import { loadConfig, requireDatabaseUrl, type Config } from "./env";
import { createIncidentReadCache, type IncidentReadCache } from "./incidents/incident-read-cache";
import { createLogger, type Logger } from "./observability/logger";

export interface Runtime {
  config: Config;
  database: DatabaseClient;
  logger: Logger;
  /** API tokens as recently read; without it (tests, scripts) every request reads its token. */
  tokenActors?: TokenActorCache;
  /** The board's reads as recently answered (incident-read-cache.ts); without it every request reads them. */
  incidentReads?: IncidentReadCache;
}

const globalKey = Symbol.for("vigil.runtime");
type GlobalWithRuntime = typeof globalThis & { [globalKey]?: Runtime };

export function getRuntime(): Runtime {
  const g = globalThis as GlobalWithRuntime;
  if (!g[globalKey]) {
    const config = loadConfig();
    const url = requireDatabaseUrl(config);
    const database = createDatabaseClient(url, { max: 10, applicationName: "vigil-web" });
    g[globalKey] = {
      config,
      database,
      logger: createLogger(config.logLevel),
      // Connects (one LISTEN connection) on the first token it is asked for.
      tokenActors: createTokenActorCache(url),
      // Listens (on the live board's LISTEN connection) from the first page it is asked for.
      incidentReads: createIncidentReadCache(database.sql, { ttlMs: config.incidentReadCacheTtlMs }),
    };
  }
  return g[globalKey];
}

export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as GlobalWithRuntime)[globalKey] = runtime;
}
