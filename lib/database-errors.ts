// Tells "the database is unreachable or refusing work right now" (retry later: 503) from bugs (500).
const unavailableSqlStates = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up / shutting down)
  "53300", // too_many_connections
  "53100", // disk_full
  "08000", "08001", "08003", "08004", "08006", // connection exceptions
  "40001", // serialization_failure: safe to retry
  "40P01", // deadlock_detected: safe to retry
]);
const unavailableNodeCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    if (unavailableSqlStates.has(code) || unavailableNodeCodes.has(code)) return true;
    // postgres.js: CONNECTION_CLOSED, CONNECTION_ENDED, CONNECTION_DESTROYED, CONNECT_TIMEOUT
    if (code.startsWith("CONNECTION_") || code === "CONNECT_TIMEOUT") return true;
  }
  return false;
}
