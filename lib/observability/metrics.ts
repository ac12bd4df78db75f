// Prometheus metrics for /metrics, kept on globalThis so that every route bundle of the web server shares
// them. Two registries per process: `registry` holds what the process counts itself (summed over the
// machine's web processes, lib/observability/machine-metrics.ts), `scrapeRegistry` the gauges read from
// the database at scrape time (the same for every process, so never summed).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  scrapeRegistry: Registry;
  httpRequestDuration: Histogram<"method" | "route" | "status">;
  openIncidents: Gauge<"severity">;
  openIncidentsByStatus: Gauge<"severity" | "status">;
  serviceOpenIncidents: Gauge<"incident_service" | "severity">;
  falsePositiveIncidents: Gauge<"incident_service" | "severity">;
  incidentsCreated: Counter<"incident_service" | "severity">;
  alertsReceived: Counter<"source">;
  timeToAcknowledge: Histogram<"incident_service" | "severity">;
  timeToResolve: Histogram<"incident_service" | "severity">;
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
  const scrapeRegistry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics: Metrics = {
    registry,
    scrapeRegistry,
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
      registers: [scrapeRegistry],
    }),
    // The incident KPIs (see docs/analytics.md). Gauges are read from the database at scrape time; the
    // counter and histograms count what this process saw commit, so sum them over replicas. The incident's
    // service is `incident_service`: Prometheus' scrape config gives Vigil's own series `service="vigil"`,
    // and a scraped `service` label would be renamed exported_service.
    openIncidentsByStatus: new Gauge({
      name: "vigil_open_incidents_by_status",
      help: "Incidents not yet resolved, by severity and status (read from the database at scrape time)",
      labelNames: ["severity", "status"],
      registers: [scrapeRegistry],
    }),
    serviceOpenIncidents: new Gauge({
      name: "vigil_service_open_incidents",
      help: "Incidents not yet resolved, by service and severity; only the combinations that have any (read from the database at scrape time)",
      labelNames: ["incident_service", "severity"],
      registers: [scrapeRegistry],
    }),
    falsePositiveIncidents: new Gauge({
      name: "vigil_false_positive_incidents",
      help: "Incidents ever marked false positive, drills and tests left out, by service and severity (read from the database at scrape time)",
      labelNames: ["incident_service", "severity"],
      registers: [scrapeRegistry],
    }),
    incidentsCreated: new Counter({
      name: "vigil_incidents_created_total",
      help: "Incidents created (declared or from alerts), by service and severity",
      labelNames: ["incident_service", "severity"],
      registers: [registry],
    }),
    // Against vigil_notifications_total{status="sent"} (the worker's), the deduplication figure.
    alertsReceived: new Counter({
      name: "vigil_alerts_received_total",
      help: "Alert copies received, every re-send and retry included, by source (counted when the delivery commits)",
      labelNames: ["source"],
      registers: [registry],
    }),
    timeToAcknowledge: new Histogram({
      name: "vigil_time_to_acknowledge_seconds",
      help: "From creation to the first acknowledgement, observed when it commits; drills and tests left out",
      labelNames: ["incident_service", "severity"],
      buckets: [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400],
      registers: [registry],
    }),
    timeToResolve: new Histogram({
      name: "vigil_time_to_resolve_seconds",
      help: "From creation to the first resolution, observed when it commits; drills and tests left out",
      labelNames: ["incident_service", "severity"],
      buckets: [300, 600, 1800, 3600, 7200, 14400, 28800, 43200, 86400, 172800, 604800],
      registers: [registry],
    }),
    databaseUp: new Gauge({
      name: "vigil_database_up",
      help: "1 when the last scrape could query the database, else 0",
      registers: [scrapeRegistry],
    }),
    queueDepth: new Gauge({
      name: "vigil_job_queue_depth",
      help: "Jobs ready to run that no worker has picked up yet",
      registers: [scrapeRegistry],
    }),
    oldestJobAge: new Gauge({
      name: "vigil_job_queue_oldest_age_seconds",
      help: "How long the oldest ready job has been waiting",
      registers: [scrapeRegistry],
    }),
  };
  g[globalKey] = metrics;
  return metrics;
}
