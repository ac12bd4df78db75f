// The worker's own Prometheus metrics, served on WORKER_METRICS_PORT by the worker process.
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import { attachRemediationMetrics } from "../remediation/remediation-metrics";
import { channels } from "./route-incident";

/** The outcomes vigil_notifications_total counts (deliverNotificationJob's reports). */
export const notificationOutcomes = ["sent", "retrying", "failed"] as const;

export interface WorkerMetrics {
  registry: Registry;
  notificationsTotal: Counter<"channel" | "status">;
  notificationLatency: Histogram<"channel">;
  jobsTotal: Counter<"task" | "outcome">;
}

let metrics: WorkerMetrics | undefined;

export function getWorkerMetrics(): WorkerMetrics {
  if (metrics) return metrics;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // vigil_remediations_total: the runs this worker requested automatically and the results it recorded.
  attachRemediationMetrics(registry);
  metrics = {
    registry,
    notificationsTotal: new Counter({
      name: "vigil_notifications_total",
      help: "Notification delivery attempts by channel and outcome (sent, retrying, failed)",
      labelNames: ["channel", "status"],
      registers: [registry],
    }),
    notificationLatency: new Histogram({
      name: "vigil_notification_latency_seconds",
      help: "From the incident change to the vendor accepting the message",
      labelNames: ["channel"],
      buckets: [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    jobsTotal: new Counter({
      name: "vigil_worker_jobs_total",
      help: "Jobs the worker ran, by task and outcome",
      labelNames: ["task", "outcome"],
      registers: [registry],
    }),
  };
  // Every series from zero: increase() cannot see a counter's first sample, so without these the first
  // failed delivery after a worker start would never trip VigilNotificationsFailing.
  for (const channel of channels)
    for (const status of notificationOutcomes) metrics.notificationsTotal.inc({ channel, status }, 0);
  return metrics;
}
