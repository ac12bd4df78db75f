// Structured logs (pino). Secrets never reach a log line: credentials are redacted by path, at the
// top level and nested up to two levels (a request's headers, a vendor call's options, an error's config).
// JSON for machines (containers, files, pipes); one readable line per event when a person watches a
// terminal (`npm start`), with the same fields.
import pino from "pino";
import pretty from "pino-pretty";

export type Logger = pino.Logger;

const secretKeys = ["token", "authorization", "cookie", "password", "secret", "routing_key", "apiToken", "api_token"];
export const redactedPaths = secretKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(level: string, name = "vigil", destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: redactedPaths, censor: "[redacted]" } };
  const stream = destination ?? consoleDestination(process.stdout);
  return stream ? pino(options, stream) : pino(options);
}

/** Readable lines for a terminal; undefined (pino's JSON on stdout) for anything else. */
export function consoleDestination(stdout: { isTTY?: boolean }): pino.DestinationStream | undefined {
  return stdout.isTTY ? readableLines() : undefined;
}

/**
 * "03:12:01 INFO  vigil-worker: automatic remediation requested · INC-12 · action=restart …": the time,
 * the level, who logged it, what happened and the incident first, then the other fields on the same line.
 */
export function readableLines(output: NodeJS.WritableStream = process.stdout, colorize = true): pino.DestinationStream {
  return pretty({
    destination: output,
    colorize,
    sync: true,
    singleLine: true,
    translateTime: "HH:MM:ss",
    ignore: "pid,hostname,name,ref,incident",
    messageFormat: (log, messageKey) => {
      const incident = log.ref ?? log.incident;
      return `${String(log.name ?? "vigil")}: ${String(log[messageKey] ?? "")}${typeof incident === "string" ? ` · ${incident}` : ""}`;
    },
  });
}
