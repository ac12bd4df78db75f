// The web server as WEB_CONCURRENCY processes sharing one port (node:cluster), so one event loop is not the
// ceiling. Usage: node scripts/web-server.mjs ENTRY [ARGS…], where ENTRY is the image's standalone
// server.js (the default) or `next start` (node_modules/next/dist/bin/next start …, as `npm start` runs it).
// Each process runs ENTRY unchanged, so port, host, keep-alive and Next's graceful SIGTERM (stop accepting,
// finish what is in flight, exit) stay Next's own. The default is 1 process, run in this very process:
// in a pod the cores Node sees are the node's, not the pod's limit, so replicas scale instead; `npm start`
// passes the cores it may use. Plain JavaScript without tsx, like scripts/healthcheck.mjs: it is PID 1 of
// the image's web container and stays small.
import cluster from "node:cluster";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

// The IPC messages of lib/observability/machine-metrics.ts (the same names there).
const WORKER_READY = "vigil:metrics-ready";
const WORKER_REQUEST = "vigil:metrics-request";
const WORKER_REPLY = "vigil:metrics-reply";
const MACHINE_REQUEST = "vigil:machine-metrics-request";
const MACHINE_REPLY = "vigil:machine-metrics-reply";
const METRICS_TIMEOUT_MS = 5_000;

/** WEB_CONCURRENCY as a number of processes: unset, empty or 0 is `fallback`; else a whole number (lib/env.ts's rule). */
function webConcurrency(raw, fallback) {
  const value = (raw ?? "").trim();
  if (!/^\d*$/.test(value))
    throw new Error(
      `Invalid configuration:\n  WEB_CONCURRENCY: a whole number of web processes (0 or unset: the default), not "${raw}"`,
    );
  return Number(value) > 0 ? Number(value) : fallback;
}

async function main() {
  const [entry = "server.js", ...args] = process.argv.slice(2);
  const entryPath = path.resolve(entry);
  let processes;
  try {
    processes = webConcurrency(process.env.WEB_CONCURRENCY, 1);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  if (processes === 1) {
    // Exactly what `node ENTRY ARGS` would do, without a second process. Next's CLI reads process.argv.
    process.argv = [process.argv[0], entryPath, ...args];
    // server.js is an ES module here (package.json says "module"); Next's bin has no extension: CommonJS.
    if (path.extname(entryPath)) await import(pathToFileURL(entryPath).href);
    else createRequire(import.meta.url)(entryPath);
    return;
  }
  // prom-client only here: a single process never loads it twice.
  const { AggregatorRegistry } = await import("prom-client");
  runCluster(processes, entryPath, args, AggregatorRegistry);
}

function runCluster(processes, entryPath, args, AggregatorRegistry) {
  const say = (message) => console.log(`[web] ${message}`);
  cluster.setupPrimary({ exec: entryPath, args });
  let stopping = false;
  let exitCode = 0;
  const running = new Set();
  const fork = () => running.add(cluster.fork().id);
  const everListened = new Set();
  const metricsReady = new Set();

  cluster.on("listening", (worker) => everListened.add(worker.id));
  cluster.on("exit", (worker, code, signal) => {
    metricsReady.delete(worker.id);
    running.delete(worker.id);
    if (stopping) {
      if (running.size === 0) process.exit(exitCode);
      return;
    }
    const how = signal ?? `code ${code}`;
    if (!everListened.has(worker.id)) {
      // It never served: a bad setting or a taken port, which another process would only repeat.
      console.error(`[web] web process ${worker.process.pid} exited before serving (${how}); stopping.`);
      stop("SIGTERM", code || 1);
      return;
    }
    console.error(`[web] web process ${worker.process.pid} exited unexpectedly (${how}); starting another.`);
    fork();
  });

  // GET /metrics in any process answers for the machine: that process asks here, and this asks every
  // process for its process-kept metrics and sums them (prom-client's cluster aggregation).
  const pending = new Map();
  let nextRequest = 0;
  cluster.on("message", (worker, message) => {
    if (message?.type === WORKER_READY) metricsReady.add(worker.id);
    else if (message?.type === WORKER_REPLY) pending.get(message.request)?.(worker.id, message.metrics);
    else if (message?.type === MACHINE_REQUEST)
      void machineMetrics().then(
        (text) => worker.isConnected() && worker.send({ type: MACHINE_REPLY, request: message.request, text }),
        (error) =>
          worker.isConnected() &&
          worker.send({ type: MACHINE_REPLY, request: message.request, error: String(error?.message ?? error) }),
      );
  });

  function machineMetrics() {
    const asked = Object.values(cluster.workers ?? {}).filter((w) => metricsReady.has(w.id) && w.isConnected());
    const request = nextRequest++;
    return new Promise((resolve, reject) => {
      const replies = new Map();
      const timer = setTimeout(() => {
        pending.delete(request);
        reject(new Error(`${asked.length - replies.size} web process(es) did not report metrics within 5 s`));
      }, METRICS_TIMEOUT_MS);
      pending.set(request, (workerId, metrics) => {
        replies.set(workerId, metrics);
        if (replies.size < asked.length) return;
        clearTimeout(timer);
        pending.delete(request);
        resolve(AggregatorRegistry.aggregate([...replies.values()]).metrics());
      });
      for (const worker of asked) worker.send({ type: WORKER_REQUEST, request });
    });
  }

  function stop(signal, code = 0) {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const worker of Object.values(cluster.workers ?? {})) if (running.has(worker.id)) worker.process.kill(signal);
    if (running.size === 0) process.exit(exitCode);
  }
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(signal));

  say(`starting ${processes} web processes on one port (WEB_CONCURRENCY)`);
  for (let i = 0; i < processes; i++) fork();
}

await main();
