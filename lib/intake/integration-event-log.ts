// The integrations' event logs ("why didn't it page?"), written in batches: a door queues its entry and
// answers at once, and what queued in the next FLUSH_MS goes in one statement, outside the delivery's
// transaction. A delivery used to pay a second transaction (and its commit's WAL flush) for its log line.
// Entries still queued when the process dies are lost: the log is a debugging aid, and what a delivery
// did is in the incidents' timelines and the audit log. This process's readers flush first, so a page or
// API read right after a delivery shows it.
import type { DbOrTx } from "@/db/client";
import type { IntegrationRow } from "@/db/schema";
import type { Logger } from "../observability/logger";
import { writeIntegrationEvents, type IntegrationEventRecord } from "./receive";

const FLUSH_MS = 100;
/** A queue this long is written at once rather than at the next tick. */
const BATCH = 500;

interface Queue {
  entries: Parameters<typeof writeIntegrationEvents>[1];
  log: Logger;
  timer: NodeJS.Timeout | null;
  /** The write under way, if any: a flush waits for it, so that what it carries is in the table. */
  writing: Promise<void>;
}

// Per database handle: a process has one; each test file its own.
const queues = new Map<DbOrTx, Queue>();

/** Queues the entry; it is written within FLUSH_MS. Never throws: a failed write is logged and dropped. */
export function queueIntegrationEvent(
  db: DbOrTx,
  integration: Pick<IntegrationRow, "id">,
  now: Date,
  event: IntegrationEventRecord,
  log: Logger,
): void {
  let queue = queues.get(db);
  if (!queue) {
    queue = { entries: [], log, timer: null, writing: Promise.resolve() };
    queues.set(db, queue);
  }
  queue.log = log;
  queue.entries.push({ integrationId: integration.id, receivedAt: now, event });
  if (queue.entries.length >= BATCH) void flushIntegrationEvents(db);
  // Unref'd: a queued log line never keeps a process (a script, a test) alive on its own.
  else queue.timer ??= setTimeout(() => void flushIntegrationEvents(db), FLUSH_MS).unref();
}

/** Writes what this process queued for `db`; resolves once it (and any write under way) is in the table. */
export function flushIntegrationEvents(db: DbOrTx): Promise<void> {
  const queue = queues.get(db);
  if (!queue) return Promise.resolve();
  if (queue.timer) clearTimeout(queue.timer);
  queue.timer = null;
  const entries = queue.entries.splice(0);
  const log = queue.log;
  const previous = queue.writing;
  queue.writing = previous.then(() =>
    writeIntegrationEvents(db, entries).catch((error: unknown) =>
      log.warn({ err: error, entries: entries.length }, "integration event log write failed"),
    ),
  );
  return queue.writing;
}
