// Structured JSON logs (pino). Secrets never reach a log line: tokens and cookies are redacted by path.
import pino from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string, name = "vigil"): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ["token", "*.token", "authorization", "*.authorization", "headers.authorization", "headers.cookie", "password", "*.password"],
      censor: "[redacted]",
    },
  });
}
