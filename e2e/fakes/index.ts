// The loopback fakes of the services Vigil notifies, and startAllFakes(): all four on free ports plus the
// environment that points Vigil at them.
import { startFakePagerDuty, type FakePagerDuty } from "./pagerduty";
import { startFakeSlack, type FakeSlack } from "./slack";
import { startFakeSms, type FakeSms } from "./sms";
import { startFakeSmtp, type FakeSmtp } from "./smtp";

export * from "./fake-server";
export * from "./pagerduty";
export * from "./slack";
export * from "./sms";
export * from "./smtp";

/** Credentials the fakes accept (fixed, so a failing run is easy to replay by hand). */
export const FAKE_SLACK_BOT_TOKEN = "xoxb-vigil-fake-bot-token";
export const FAKE_PAGERDUTY_ROUTING_KEY = "vigilfakeroutingkey0000000000001"; // 32 characters, like a real one
export const FAKE_SMS_ACCOUNT_SID = "AC00000000000000000000000000000001"; // "AC" + 32 hex, like Twilio's
export const FAKE_SMS_AUTH_TOKEN = "fake0auth0token00000000000000001";

/** The environment variables Vigil reads (names fixed by its configuration table, lib/env.ts). */
export interface FakeEnv {
  SLACK_API_URL: string;
  SLACK_BOT_TOKEN: string;
  SLACK_CHANNEL_CRITICAL: string;
  SLACK_CHANNEL_WARNINGS: string;
  PAGERDUTY_EVENTS_URL: string;
  PAGERDUTY_ROUTING_KEY: string;
  SMS_API_URL: string;
  SMS_ACCOUNT_SID: string;
  SMS_AUTH_TOKEN: string;
  SMS_FROM: string;
  SMS_TO: string;
  SMTP_URL: string;
  EMAIL_FROM: string;
  ALERT_EMAIL_TO: string;
}

export interface AllFakes {
  slack: FakeSlack;
  pagerduty: FakePagerDuty;
  sms: FakeSms;
  smtp: FakeSmtp;
  env: FakeEnv;
  /** Where each fake's /__fake/ control routes are, for specs in other processes (plain JSON). */
  controlUrls: { slack: string; pagerduty: string; sms: string; smtp: string };
  reset(): void;
  close(): Promise<void>;
}

export async function startAllFakes(): Promise<AllFakes> {
  const [slack, pagerduty, sms, smtp] = await Promise.all([
    startFakeSlack({ botToken: FAKE_SLACK_BOT_TOKEN }),
    startFakePagerDuty(),
    startFakeSms({ accountSid: FAKE_SMS_ACCOUNT_SID, authToken: FAKE_SMS_AUTH_TOKEN }),
    startFakeSmtp(),
  ]);
  const all = [slack, pagerduty, sms, smtp];
  return {
    slack,
    pagerduty,
    sms,
    smtp,
    env: {
      SLACK_API_URL: `${slack.url}/api/`,
      SLACK_BOT_TOKEN: FAKE_SLACK_BOT_TOKEN,
      SLACK_CHANNEL_CRITICAL: "#incidents-critical",
      SLACK_CHANNEL_WARNINGS: "#incidents-warnings",
      PAGERDUTY_EVENTS_URL: pagerduty.url,
      PAGERDUTY_ROUTING_KEY: FAKE_PAGERDUTY_ROUTING_KEY,
      SMS_API_URL: sms.url,
      SMS_ACCOUNT_SID: FAKE_SMS_ACCOUNT_SID,
      SMS_AUTH_TOKEN: FAKE_SMS_AUTH_TOKEN,
      SMS_FROM: "+15550000000",
      SMS_TO: "+15551234567",
      SMTP_URL: smtp.smtpUrl,
      EMAIL_FROM: "vigil@example.com",
      ALERT_EMAIL_TO: "oncall@example.com",
    },
    controlUrls: { slack: slack.url, pagerduty: pagerduty.url, sms: sms.url, smtp: smtp.controlUrl },
    reset: () => all.forEach((fake) => fake.reset()),
    close: async () => void (await Promise.all(all.map((fake) => fake.close()))),
  };
}
