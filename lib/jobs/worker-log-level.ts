// graphile-worker's own log lines, at the level people want them: a line for every finished job drowns
// what matters (a new incident, a failed delivery), so completions are kept for LOG_LEVEL=debug.
// Failures still log as warnings and errors.

/** `level` is graphile-worker's LogLevel ("error", "warning", "info", "debug"). */
export function workerLogMethod(level: string, message: string): "error" | "warn" | "info" | "debug" {
  if (level === "error") return "error";
  if (level === "warning") return "warn";
  if (level === "debug") return "debug";
  return message.startsWith("Completed task") ? "debug" : "info";
}
