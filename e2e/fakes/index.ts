// The loopback fakes of the services Vigil notifies, files tickets with or acts on (Kubernetes), and
// startAllFakes(): all of them on free ports plus the environment that points Vigil at them.
import { startFakeGitHub, type FakeGitHub } from "./github";
import { startFakeJira, type FakeJira } from "./jira";
import { startFakeKubernetes, type FakeKubernetes } from "./kubernetes";
import { startFakePagerDuty, type FakePagerDuty } from "./pagerduty";
import { startFakeSlack, type FakeSlack } from "./slack";
import { startFakeSms, type FakeSms } from "./sms";
import { startFakeSmtp, type FakeSmtp } from "./smtp";

export * from "./fake-server";
export * from "./kubernetes";
export * from "./github";
export * from "./jira";
export * from "./pagerduty";
export * from "./slack";
export * from "./sms";
export * from "./smtp";

/** Credentials the fakes accept (fixed, so a failing run is easy to replay by hand). */
export const FAKE_SLACK_BOT_TOKEN = "xoxb-vigil-fake-bot-token";
export const FAKE_PAGERDUTY_ROUTING_KEY = "vigilfakeroutingkey0000000000001"; // 32 characters, like a real one
export const FAKE_SMS_ACCOUNT_SID = "AC00000000000000000000000000000001"; // "AC" + 32 hex, like Twilio's
export const FAKE_SMS_AUTH_TOKEN = "fake0auth0token00000000000000001";
export const FAKE_KUBERNETES_TOKEN = "vigil-fake-kubernetes-service-account-token";
export const FAKE_JIRA_EMAIL = "vigil-bot@example.com";
export const FAKE_JIRA_API_TOKEN = "fake-jira-api-token-0001";
export const FAKE_GITHUB_TOKEN = "ghp_fakeGitHubToken000000000000000001";

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
  JIRA_URL: string;
  JIRA_EMAIL: string;
  JIRA_API_TOKEN: string;
  JIRA_PROJECT: string;
  GITHUB_API_URL: string;
  GITHUB_TOKEN: string;
  GITHUB_REPO: string;
  KUBERNETES_API_URL: string;
  KUBERNETES_TOKEN: string;
}

export interface AllFakes {
  slack: FakeSlack;
  pagerduty: FakePagerDuty;
  sms: FakeSms;
  smtp: FakeSmtp;
  jira: FakeJira;
  github: FakeGitHub;
  kubernetes: FakeKubernetes;
  /** Both trackers are configured, so Vigil files tickets in Jira (POSTMORTEM_TRACKER=github switches). */
  env: FakeEnv;
  /**
   * Where each notification fake's /__fake/ control routes are, for specs in other processes (plain
   * JSON). The ticket and Kubernetes fakes serve theirs at their base URLs: JIRA_URL, GITHUB_API_URL and
   * KUBERNETES_API_URL in the env.
   */
  controlUrls: { slack: string; pagerduty: string; sms: string; smtp: string };
  reset(): void;
  close(): Promise<void>;
}

export async function startAllFakes(): Promise<AllFakes> {
  const [slack, pagerduty, sms, smtp, jira, github, kubernetes] = await Promise.all([
    startFakeSlack({ botToken: FAKE_SLACK_BOT_TOKEN }),
    startFakePagerDuty(),
    startFakeSms({ accountSid: FAKE_SMS_ACCOUNT_SID, authToken: FAKE_SMS_AUTH_TOKEN }),
    startFakeSmtp(),
    startFakeJira({ email: FAKE_JIRA_EMAIL, apiToken: FAKE_JIRA_API_TOKEN, projects: ["OPS"] }),
    startFakeGitHub({ token: FAKE_GITHUB_TOKEN, repos: ["acme/platform"] }),
    startFakeKubernetes({ token: FAKE_KUBERNETES_TOKEN }),
  ]);
  const all = [slack, pagerduty, sms, smtp, jira, github, kubernetes];
  return {
    slack,
    pagerduty,
    sms,
    smtp,
    jira,
    github,
    kubernetes,
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
      JIRA_URL: jira.url,
      JIRA_EMAIL: FAKE_JIRA_EMAIL,
      JIRA_API_TOKEN: FAKE_JIRA_API_TOKEN,
      JIRA_PROJECT: "OPS",
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: FAKE_GITHUB_TOKEN,
      GITHUB_REPO: "acme/platform",
      KUBERNETES_API_URL: kubernetes.url,
      KUBERNETES_TOKEN: FAKE_KUBERNETES_TOKEN,
    },
    controlUrls: { slack: slack.url, pagerduty: pagerduty.url, sms: sms.url, smtp: smtp.controlUrl },
    reset: () => all.forEach((fake) => fake.reset()),
    close: async () => void (await Promise.all(all.map((fake) => fake.close()))),
  };
}
