// Prometheus metrics for /metrics. One registry per process, kept on globalThis so that every route
// bundle of the web server shares it.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<"method" | "route" | "status">;
  openIncidents: Gauge<"severity">;
  databaseUp: Gauge;
  queueDepth: Gauge;
  oldestJobAge: Gauge;
  httpRequestsFailed: Counter<"route">;
}

const globalKey = Symbol.for("vigil.metrics");
type GlobalWithMetrics = typeof globalThis & { [globalKey]?: Metrics };

export function getMetrics(): Metrics {
  const g = globalThis as GlobalWithMetrics;
  if (g[globalKey]) return g[globalKey];
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics: Metrics = {
    registry,
    httpRequestDuration: new Histogram({
      name: "vigil_http_request_duration_seconds",
      help: "HTTP request duration by route template, method and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    httpRequestsFailed: new Counter({
      name: "vigil_http_unhandled_errors_total",
      help: "Requests that ended in an unexpected server error, by route template",
      labelNames: ["route"],
      registers: [registry],
    }),
    openIncidents: new Gauge({
      name: "vigil_open_incidents",
      help: "Incidents not yet resolved, by severity (read from the database at scrape time)",
      labelNames: ["severity"],
      registers: [registry],
    }),
    databaseUp: new Gauge({
      name: "vigil_database_up",
      help: "1 when the last scrape could query the database, else 0",
      registers: [registry],
    }),
    queueDepth: new Gauge({ name: "vigil_job_queue_depth", help: "Jobs ready to run that no worker has picked up yet", registers: [registry] }),
    oldestJobAge: new Gauge({ name: "vigil_job_queue_oldest_age_seconds", help: "How long the oldest ready job has been waiting", registers: [registry] }),
  };
  g[globalKey] = metrics;
  return metrics;
}
