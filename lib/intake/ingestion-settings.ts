// The ingestion core's settings (reopen window, label names, severity map, routing): a door's from this
// process's runtime, a job's from the config the worker hands it.
import type { IngestionSettings } from "../alerts/ingest-alertmanager-payload";
import type { Config } from "../env";
import { RoutingConfigError } from "../notifications/routing-config";
import { notificationSettingsIfUsable, notificationSettingsOf } from "../notifications/settings";
import { getRuntime } from "../runtime";

export function ingestionSettings(): IngestionSettings {
  const { config } = getRuntime();
  return { reopenWindowMs: config.reopenWindowMs, ...config.alerts, notifications: notificationSettingsIfUsable() };
}

/** For a job: notifications are left out while the routing file is broken (the planner reports it). */
export function ingestionSettingsOf(config: Config): IngestionSettings {
  let notifications;
  try {
    notifications = notificationSettingsOf(config);
  } catch (error) {
    if (!(error instanceof RoutingConfigError)) throw error;
  }
  return { reopenWindowMs: config.reopenWindowMs, ...config.alerts, notifications };
}
