// The ingestion core's settings for this process (reopen window, label names, severity map, routing).
import type { IngestionSettings } from "../alerts/ingest-alertmanager-payload";
import { notificationSettingsIfUsable } from "../notifications/settings";
import { getRuntime } from "../runtime";

export function ingestionSettings(): IngestionSettings {
  const { config } = getRuntime();
  return { reopenWindowMs: config.reopenWindowMs, ...config.alerts, notifications: notificationSettingsIfUsable() };
}
