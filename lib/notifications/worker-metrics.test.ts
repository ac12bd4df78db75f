import { describe, expect, it } from "vitest";
import { getWorkerMetrics } from "./worker-metrics";

describe("the worker's notification metrics", () => {
  // VigilNotificationsFailing alerts on increase(vigil_notifications_total{status="failed"}[10m]); a
  // series born at 1 has no earlier sample to increase from, so the first failure would go unseen.
  it("export every channel's sent, retrying and failed counts from zero, before any delivery", async () => {
    const exposition = await getWorkerMetrics().registry.metrics();
    for (const channel of ["pagerduty", "slack", "email", "sms"]) {
      for (const status of ["sent", "retrying", "failed"]) {
        expect(exposition).toContain(`vigil_notifications_total{channel="${channel}",status="${status}"} 0\n`);
      }
    }
  });

  it("count a failed delivery on top of the zero", async () => {
    getWorkerMetrics().notificationsTotal.inc({ channel: "slack", status: "failed" });
    expect(await getWorkerMetrics().registry.metrics()).toContain(
      'vigil_notifications_total{channel="slack",status="failed"} 1\n',
    );
  });
});
