// The worker process: graphile-worker running the job definitions from lib/jobs, a heartbeat, the
// sweeper that frees jobs of crashed workers, and the worker's /metrics. No domain logic lives here.
import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { Logger as WorkerLogger, parseCronItems, run, type WorkerEvents } from "graphile-worker";
import { ConfigError } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { workerLogMethod } from "@/lib/jobs/worker-log-level";
import { jobDefinitions } from "@/lib/jobs";
import { recurringJobs } from "@/lib/jobs/recurring-jobs";
import { buildTaskList } from "@/lib/jobs/task-list";
import { beat, leave, recoverCrashedWorkers } from "@/lib/jobs/worker-liveness";
import { notificationSettings } from "@/lib/notifications/settings";
import { lintRouting } from "@/lib/notifications/routing-config";
import { assertRoutingPoliciesExist } from "@/lib/oncall/routing-policies";
import { getWorkerMetrics } from "@/lib/notifications/worker-metrics";
import { getRuntime } from "@/lib/runtime";
import { syncRunbookFiles } from "@/lib/runbooks/sync-runbook-files";
import { kubernetesClient } from "@/lib/integrations/kubernetes/kubernetes-client";
import { runbookResourceHandlers } from "@/lib/runbooks/sync-runbook-resources";
import { watchRunbookResources } from "@/lib/runbooks/watch-runbook-resources";

/** Beats come several times within WORKER_STALE_AFTER, so a live worker is never taken for a dead one. */
const heartbeatMs = (staleAfterMs: number) => Math.min(5_000, Math.floor(staleAfterMs / 3));

let runtime: ReturnType<typeof getRuntime>;
try {
  runtime = getRuntime();
  // Read the routing file now: a broken one should stop the worker with its errors, not fail jobs later.
  const settings = notificationSettings();
  // An `escalation:` naming no policy is refused here, where it was written, not ignored at 3 a.m.
  await assertRoutingPoliciesExist(runtime.database.db, settings.routing, settings.routingSource);
  for (const warning of lintRouting(settings.routing)) runtime.logger.warn({ rule: warning.rule }, warning.message);
  runtime.logger.info({ routing: settings.routingSource }, "notification routing loaded");
} catch (error) {
  if (error instanceof ConfigError || error instanceof AppError) {
    console.error(`Vigil's worker cannot start:\n${error.message}`);
    process.exit(1);
  }
  throw error;
}
const { config, database, logger: rootLogger } = runtime;
const logger = rootLogger.child({ name: "vigil-worker" });
const metrics = getWorkerMetrics();

// The runbook catalog from runbooks/*.md (idempotent; replicas starting together serialise on a lock).
// A broken file is logged and skipped; the worker runs on with the catalog it has.
await syncRunbookFiles(database.db, config.runbooks.dir, new Date(), logger).catch((error: unknown) =>
  logger.error({ err: error }, "runbook catalog sync failed"),
);

// Runbook custom resources in the namespaces RUNBOOK_CRD_NAMESPACES names (each replica watches; the sync
// is idempotent and serialised on the catalog's lock).
const stopWatching = new AbortController();
const cluster = config.runbooks.resourceNamespaces.length > 0 ? kubernetesClient(config.kubernetes.source) : null;
if (config.runbooks.resourceNamespaces.length > 0 && !cluster)
  logger.error(
    "RUNBOOK_CRD_NAMESPACES is set but no Kubernetes cluster is configured: Runbook resources are not watched",
  );
const runbookWatches = cluster
  ? config.runbooks.resourceNamespaces.map((namespace) =>
      watchRunbookResources({
        client: cluster,
        namespace,
        handlers: runbookResourceHandlers(database.db, namespace, config.remediation, logger),
        log: logger,
        signal: stopWatching.signal,
      }),
    )
  : [];

const taskList = buildTaskList(jobDefinitions, { db: database.db, config, logger }, (task, outcome) =>
  metrics.jobsTotal.inc({ task, outcome }),
);

const self = {
  id: `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
  hostname: os.hostname(),
  pid: process.pid,
};
// Jobs are locked in the name of the pool (fetched in batches) or of one of its workers: remember both.
const workerIds = new Set<string>();
const events: WorkerEvents = new EventEmitter();
events.on("pool:create", ({ workerPool }) => workerIds.add(workerPool.id));
events.on("worker:create", ({ worker }) => workerIds.add(worker.workerId));

const runner = await run({
  connectionString: config.databaseUrl!,
  concurrency: 8,
  // graphile-worker finds future run_at jobs (escalation steps, pages held for bundling) by polling: 250 ms
  // keeps a due page within the 2 s goal (bench/escalation.ts); new jobs are still picked up at once
  // through LISTEN/NOTIFY, and one poll is one indexed query.
  pollInterval: 250,
  preset: {
    worker: {
      // Under load, fetch (and lock) up to 16 jobs per query and complete finished jobs together, instead
      // of two database round trips per job: this cut the worker's share of a notification by a lot
      // (bench/README.md). Every job here is safe to run again, and the heartbeat frees the jobs a crashed
      // process held, batch or not.
      localQueue: { size: 16 },
      completeJobBatchDelay: 0,
      failJobBatchDelay: 0,
    },
  },
  taskList,
  // Recurring jobs (the analytics refresh's keep-alive): graphile-worker runs each once per due minute
  // across all replicas and restarts.
  parsedCronItems: parseCronItems(recurringJobs(config)),
  events,
  logger: new WorkerLogger((scope) => (level, message, meta) => {
    logger[workerLogMethod(level, message)]({ ...scope, ...meta }, message);
  }),
  // graphile-worker handles SIGINT/SIGTERM itself: it stops taking jobs, lets running ones finish, exits.
  noHandleSignals: false,
});

async function heartbeat() {
  try {
    await beat(database.db, self, [...workerIds], new Date());
    const buried = await recoverCrashedWorkers(database.db, config.worker.staleAfterMs, new Date(), self.id);
    if (buried.length > 0) logger.warn({ processes: buried }, "freed the jobs of crashed worker processes");
  } catch (error) {
    logger.warn({ err: error }, "heartbeat failed");
  }
}
await heartbeat();
const heartbeatTimer = setInterval(() => void heartbeat(), heartbeatMs(config.worker.staleAfterMs));

const metricsServer =
  config.worker.metricsPort > 0
    ? createServer((req, res) => {
        if (req.url !== "/metrics") {
          res.statusCode = 404;
          res.end();
          return;
        }
        void metrics.registry.metrics().then((body) => {
          res.setHeader("content-type", metrics.registry.contentType);
          res.end(body);
        });
      }).listen(config.worker.metricsPort)
    : null;
metricsServer?.on("error", (error) =>
  logger.warn({ err: error }, `worker metrics could not listen on port ${config.worker.metricsPort}`),
);

logger.info({ tasks: Object.keys(taskList), process: self.id }, "worker started");
await runner.promise;
stopWatching.abort();
await Promise.all(runbookWatches);
clearInterval(heartbeatTimer);
metricsServer?.close();
await leave(database.db, self.id).catch(() => {});
await database.close();
logger.info("worker stopped");
