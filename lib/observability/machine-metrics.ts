// With several web processes on one port (scripts/web-server.mjs, WEB_CONCURRENCY), one scrape of
// /metrics answers for the whole machine, as Prometheus users expect: the process that got the scrape asks
// the cluster's primary, which gathers every process's own metrics and sums them (prom-client's
// AggregatorRegistry). The state lives on globalThis: the instrumentation hook and the /metrics route are
// separate bundles, and the process has one IPC channel.
import cluster from "node:cluster";
import type { Registry } from "prom-client";

// The IPC messages of scripts/web-server.mjs (the same names there).
const WORKER_READY = "vigil:metrics-ready";
const WORKER_REQUEST = "vigil:metrics-request";
const WORKER_REPLY = "vigil:metrics-reply";
const MACHINE_REQUEST = "vigil:machine-metrics-request";
const MACHINE_REPLY = "vigil:machine-metrics-reply";
const MACHINE_TIMEOUT_MS = 10_000;

interface Message {
  type?: string;
  request?: number;
  text?: string;
  error?: string;
}
interface Channel {
  nextRequest: number;
  waiting: Map<number, (reply: Message) => void>;
}

const globalKey = Symbol.for("vigil.machineMetrics");
type GlobalWithChannel = typeof globalThis & { [globalKey]?: Channel };

/** Whether this is one of several web processes that web-server.mjs started. */
export function isClusteredWebProcess(): boolean {
  return cluster.isWorker && typeof process.send === "function";
}

/**
 * In a clustered web process: answers the primary's requests for `registry` (once per process; the
 * instrumentation hook calls it at start, so no process is missing from the first scrape). Elsewhere: nothing.
 */
export function joinMachineMetrics(registry: Registry): void {
  channel(registry);
}

/** `registry`'s text exposition, or in a clustered web process the sum of every process's. */
export async function machineExposition(registry: Registry): Promise<string> {
  const open = channel(registry);
  if (!open) return registry.metrics();
  const request = open.nextRequest++;
  const reply = await new Promise<Message>((resolve, reject) => {
    const timer = setTimeout(() => {
      open.waiting.delete(request);
      reject(new Error("the web server's primary process did not answer for the machine's metrics"));
    }, MACHINE_TIMEOUT_MS);
    open.waiting.set(request, (message) => {
      clearTimeout(timer);
      open.waiting.delete(request);
      resolve(message);
    });
    process.send!({ type: MACHINE_REQUEST, request });
  });
  if (reply.error !== undefined) throw new Error(`machine metrics: ${reply.error}`);
  return reply.text ?? "";
}

function channel(registry: Registry): Channel | undefined {
  if (!isClusteredWebProcess()) return undefined;
  const g = globalThis as GlobalWithChannel;
  if (g[globalKey]) return g[globalKey];
  const open: Channel = { nextRequest: 0, waiting: new Map() };
  g[globalKey] = open;
  process.on("message", (message: Message) => {
    if (message?.type === WORKER_REQUEST)
      void registry
        .getMetricsAsJSON()
        .then((metrics) => process.send?.({ type: WORKER_REPLY, request: message.request, metrics }));
    else if (message?.type === MACHINE_REPLY && message.request !== undefined)
      open.waiting.get(message.request)?.(message);
  });
  // A primary that died without stopping us (SIGKILL) leaves nobody to hand us connections: stop as if told.
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
  process.send!({ type: WORKER_READY });
  return open;
}
