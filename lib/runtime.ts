// Process-wide services for the doors (web routes, pages, worker): configuration, the database pool and
// the logger, created once on first use. Tests install their own with `setRuntime`.
import { createDatabaseClient, type DatabaseClient } from "@/db/client";
import { loadConfig, requireDatabaseUrl, type Config } from "./env";
import { createLogger, type Logger } from "./observability/logger";

export interface Runtime {
  config: Config;
  database: DatabaseClient;
  logger: Logger;
}

const globalKey = Symbol.for("vigil.runtime");
type GlobalWithRuntime = typeof globalThis & { [globalKey]?: Runtime };

export function getRuntime(): Runtime {
  const g = globalThis as GlobalWithRuntime;
  if (!g[globalKey]) {
    const config = loadConfig();
    g[globalKey] = {
      config,
      database: createDatabaseClient(requireDatabaseUrl(config), { max: 10, applicationName: "vigil-web" }),
      logger: createLogger(config.logLevel),
    };
  }
  return g[globalKey];
}

export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as GlobalWithRuntime)[globalKey] = runtime;
}
