// Structured JSON logs (pino). Secrets never reach a log line: credentials are redacted by path, at the
// top level and nested up to two levels (a request's headers, a vendor call's options, an error's config).
import pino from "pino";

export type Logger = pino.Logger;

const secretKeys = ["token", "authorization", "cookie", "password", "secret", "routing_key", "apiToken", "api_token"];
export const redactedPaths = secretKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(level: string, name = "vigil", destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: redactedPaths, censor: "[redacted]" } };
  return destination ? pino(options, destination) : pino(options);
}
