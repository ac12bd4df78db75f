// Worker processes and their heartbeats: /api/health reports a stale worker, and a live worker frees
// the jobs a crashed one held (graphile-worker would otherwise keep them locked for four hours).
import { pgTable, text, timestamp, integer } from "drizzle-orm/pg-core";

export const workerProcesses = pgTable("worker_processes", {
  id: text().primaryKey(),
  hostname: text().notNull(),
  pid: integer().notNull(),
  /** graphile-worker's ids for this process's workers, as they appear in jobs.locked_by. */
  workerIds: text().array().notNull().default([]),
  startedAt: timestamp({ withTimezone: true }).notNull(),
  lastSeenAt: timestamp({ withTimezone: true }).notNull(),
});
