// Tells "the database is unreachable or refusing work right now" (retry later: 503) and "PostgreSQL
// cannot store this value" (the request's fault: 400) from bugs (500).
const unavailableSqlStates = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up / shutting down)
  "53300", // too_many_connections
  "53100", // disk_full
  "08000",
  "08001",
  "08003",
  "08004",
  "08006", // connection exceptions
  "40001", // serialization_failure: safe to retry
  "40P01", // deadlock_detected: safe to retry
]);
const unavailableNodeCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
]);

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

// The ways PostgreSQL refuses a value a request carried (rather than a query of ours going wrong).
const unstorableSqlStates = new Set([
  "22021", // character_not_in_repertoire: a NUL character in text
  "22P05", // untranslatable_character: a NUL character (\u0000) in jsonb
  "22008", // datetime_field_overflow: year 0
  "22007", // invalid_datetime_format
  "22003", // numeric_value_out_of_range
  "22P02", // invalid_text_representation
  "22001", // string_data_right_truncation
  "54000", // program_limit_exceeded: a value too large for an index entry
]);

/**
 * PostgreSQL's message when it refused a value itself. Input checks catch what they can name; this catches
 * the rest, which retrying would never fix.
 */
export function unstorableValue(error: unknown): { message: string; column?: string } | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, column_name: column } = e as { code?: unknown; message?: unknown; column_name?: unknown };
    if (typeof code === "string" && unstorableSqlStates.has(code) && typeof message === "string") {
      return { message, ...(typeof column === "string" ? { column } : {}) };
    }
  }
  return null;
}
