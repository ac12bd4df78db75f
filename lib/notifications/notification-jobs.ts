// The notification jobs the worker runs: plan (an incident event -> messages) and deliver (one message).
import { z } from "zod";
import { defineJob } from "../jobs/job-definition";
import { deliverNotification } from "./deliver-notification";
import { DELIVER_JOB, PLAN_JOB } from "./outbound-events";
import { planNotifications } from "./plan-notifications";
import { notificationSettingsOf } from "./settings";
import { getWorkerMetrics } from "./worker-metrics";

export const planNotificationsJob = defineJob({
  name: PLAN_JOB,
  payload: z.object({ event_id: z.number().int().positive() }),
  maxAttempts: 25,
  async handler({ event_id }, job) {
    const settings = notificationSettingsOf(job.config);
    await job.db.transaction((tx) => planNotifications(tx, event_id, settings, new Date()));
  },
});

export const deliverNotificationJob = defineJob({
  name: DELIVER_JOB,
  payload: z.object({ notification_id: z.uuid() }),
  maxAttempts: 25,
  async handler({ notification_id }, job) {
    const report = await deliverNotification(job.db, notification_id, notificationSettingsOf(job.config), job.logger);
    if (report.channel && (report.outcome === "sent" || report.outcome === "failed" || report.outcome === "retrying")) {
      const metrics = getWorkerMetrics();
      metrics.notificationsTotal.inc({ channel: report.channel, status: report.outcome });
      if (report.outcome === "sent" && report.latencySeconds !== undefined)
        metrics.notificationLatency.observe({ channel: report.channel }, report.latencySeconds);
    }
  },
});
