// `npm start`'s dev inbox: every notification channel the operator left unconfigured is pointed at Vigil's
// own loopback look-alikes (a Twilio and a Slack Web API under /api/dev-inbox, an SMTP receiver here), so
// the production senders run unchanged and what they send shows at /dev/inbox. Never in production.
import { randomBytes } from "node:crypto";
import { createDatabaseClient } from "@/db/client";
import type { Config } from "@/lib/env";
import { startDevSmtpReceiver } from "./dev-smtp-receiver";

export type DevInboxChannel = "email" | "SMS" | "voice" | "Slack";

export interface DevInboxPlan {
  /** What goes to the dev inbox, as people name it. */
  channels: DevInboxChannel[];
  /** Settings for the web server and the worker (without SMTP_URL, which needs the receiver's port). */
  env: Record<string, string>;
  /** Start the SMTP receiver (email is unconfigured). */
  email: boolean;
}

const TWILIO_DEFAULT_URL = "https://api.twilio.com";

/** Which channels lack vendor settings, and the settings that send them to the dev inbox instead. */
export function planDevInbox(config: Config, secret: string): DevInboxPlan {
  // The web server the senders reach: on this machine, whatever APP_URL says to browsers.
  const base = `http://localhost:${config.port}/api/dev-inbox`;
  const channels: DevInboxChannel[] = [];
  const env: Record<string, string> = {};
  const email = !config.email.smtpUrl;
  if (email) channels.push("email");
  const { sms, slack } = config;
  if (!sms.accountSid && !sms.authToken && !sms.from && sms.apiUrl === TWILIO_DEFAULT_URL) {
    channels.push("SMS", "voice");
    Object.assign(env, {
      SMS_API_URL: `${base}/twilio`,
      SMS_ACCOUNT_SID: "ACdeb1000000000000000000000000dev",
      SMS_AUTH_TOKEN: secret,
      SMS_FROM: "+15550100000",
    });
  }
  if (!slack.botToken) {
    channels.push("Slack");
    Object.assign(env, {
      SLACK_API_URL: `${base}/slack/api/`,
      // No SLACK_CHANNEL_* of its own: the built-in routing would then post a card for every event of the
      // demo incidents on first start, burying the page a newcomer is waiting for.
      SLACK_BOT_TOKEN: `xoxb-dev-inbox-${secret}`,
    });
  }
  if (channels.length) env.VIGIL_DEV_INBOX = "1";
  return { channels, env, email };
}

/** "email, SMS, voice and Slack". */
export const channelList = (channels: string[]) =>
  channels.length > 1 ? `${channels.slice(0, -1).join(", ")} and ${channels.at(-1)}` : (channels[0] ?? "");

export interface DevInbox {
  channels: DevInboxChannel[];
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The dev inbox's settings, with its SMTP receiver started when email goes there; undefined: nothing does. */
export async function devInboxSettings(config: Config, databaseUrl: string): Promise<DevInbox | undefined> {
  // A fresh secret per start: the look-alikes check it, so only the children can write to the inbox.
  const plan = planDevInbox(config, randomBytes(18).toString("base64url"));
  if (!plan.channels.length) return undefined;
  if (!plan.email) return { channels: plan.channels, env: plan.env, close: async () => {} };
  const client = createDatabaseClient(databaseUrl, { max: 2, applicationName: "vigil-dev-inbox" });
  const receiver = await startDevSmtpReceiver(client.db);
  return {
    channels: plan.channels,
    env: { ...plan.env, SMTP_URL: receiver.smtpUrl, EMAIL_FROM: config.email.from },
    close: async () => {
      await receiver.close();
      await client.close();
    },
  };
}
