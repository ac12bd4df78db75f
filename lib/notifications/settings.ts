// Everything the notification jobs need to know about the outside world, built once per process from the
// configuration (the routing file is read at start; a bad file stops the worker with its errors).
import type { Config } from "../env";
import type { EmailSettings } from "../integrations/email/send-email";
import type { PagerDutySettings } from "../integrations/pagerduty/events-api";
import type { SlackSettings } from "../integrations/slack/web-api";
import type { SmsSettings } from "../integrations/sms/send-sms";
import type { ChannelSettings } from "./route-incident";
import { AppError } from "../errors";
import { getRuntime } from "../runtime";
import { loadRoutingConfig, RoutingConfigError, type RoutingConfig } from "./routing-config";

export interface NotificationSettings {
  appUrl: string;
  routing: RoutingConfig;
  routingSource: string;
  channels: ChannelSettings;
  pagerduty?: PagerDutySettings;
  /** A route's own PagerDuty services, by the name of their PAGERDUTY_ROUTING_KEY_<SERVICE> setting. */
  pagerdutyServices?: Record<string, PagerDutySettings>;
  slack?: SlackSettings;
  email?: EmailSettings;
  emailTo?: string;
  sms?: SmsSettings;
  /** P0/P1 incidents get their own Slack channel (SLACK_INCIDENT_CHANNELS=1, with a bot token). */
  incidentChannels?: boolean;
  /** Attempts per message before it counts as failed (and falls back). */
  maxAttempts: number;
  /** First retry delay; each later one doubles, up to five minutes. */
  retryBaseMs: number;
  /** How long an attempt owns a message; longer than any vendor call can take. */
  leaseMs: number;
}

export function notificationSettingsFrom(config: Config): NotificationSettings {
  const { config: routing, source } = loadRoutingConfig(config.routingConfigPath);
  const { pagerduty: pd, slack, email, sms } = config;
  const smsReady = !!(sms.accountSid && sms.authToken && sms.from);
  return {
    appUrl: config.appUrl,
    routing,
    routingSource: source,
    channels: {
      pagerduty: !!pd.routingKey,
      pagerdutyServices: Object.keys(pd.serviceRoutingKeys),
      slack: { enabled: !!slack.botToken, critical: slack.criticalChannel, warnings: slack.warningsChannel },
      email: { enabled: !!email.smtpUrl, to: email.to },
      sms: { enabled: smsReady, to: sms.to },
    },
    pagerduty: pd.routingKey ? { eventsUrl: pd.eventsUrl, routingKey: pd.routingKey } : undefined,
    pagerdutyServices: Object.fromEntries(
      Object.entries(pd.serviceRoutingKeys).map(([name, routingKey]) => [
        name,
        { eventsUrl: pd.eventsUrl, routingKey },
      ]),
    ),
    slack: slack.botToken ? { botToken: slack.botToken, apiUrl: slack.apiUrl } : undefined,
    email: email.smtpUrl ? { smtpUrl: email.smtpUrl, from: email.from } : undefined,
    sms: smsReady
      ? { apiUrl: sms.apiUrl, accountSid: sms.accountSid!, authToken: sms.authToken!, from: sms.from! }
      : undefined,
    incidentChannels: !!slack.botToken && slack.incidentChannels,
    maxAttempts: config.notifications.maxAttempts,
    retryBaseMs: config.notifications.retryBaseMs,
    leaseMs: 20_000,
  };
}

const settingsByConfig = new WeakMap<Config, NotificationSettings>();
/** The settings of a configuration, built once per configuration (the job handlers' way in: `job.config`). */
export function notificationSettingsOf(config: Config): NotificationSettings {
  let found = settingsByConfig.get(config);
  if (!found) settingsByConfig.set(config, (found = notificationSettingsFrom(config)));
  return found;
}

let settings: NotificationSettings | undefined;
/**
 * Read once per process: the routing file is loaded and validated on first use (the worker does it at
 * start and refuses to run with a broken file; the web server reports it as unavailable with the reasons).
 */
export function notificationSettings(): NotificationSettings {
  try {
    settings ??= notificationSettingsFrom(getRuntime().config);
  } catch (error) {
    if (error instanceof RoutingConfigError) throw new AppError("unavailable", error.message);
    throw error;
  }
  return settings;
}

/** The settings, or undefined while the routing file is broken: for work that can leave notifying to the worker. */
export function notificationSettingsIfUsable(): NotificationSettings | undefined {
  try {
    return notificationSettings();
  } catch (error) {
    if (error instanceof AppError) return undefined;
    throw error;
  }
}
