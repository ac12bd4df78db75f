import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/env";
import { channelList, planDevInbox } from "./dev-inbox-settings";

describe("planDevInbox", () => {
  it("sends every unconfigured channel to the dev inbox on this machine's web server", () => {
    const plan = planDevInbox(loadConfig({ PORT: "4000", APP_URL: "https://vigil.example.com" }), "s3cret");
    expect(plan.channels).toEqual(["email", "SMS", "voice", "Slack"]);
    expect(plan.email).toBe(true);
    expect(plan.env).toEqual({
      SMS_API_URL: "http://localhost:4000/api/dev-inbox/twilio",
      SMS_ACCOUNT_SID: expect.stringMatching(/^AC/),
      SMS_AUTH_TOKEN: "s3cret",
      SMS_FROM: "+15550100000",
      SLACK_API_URL: "http://localhost:4000/api/dev-inbox/slack/api/",
      SLACK_BOT_TOKEN: "xoxb-dev-inbox-s3cret",
      VIGIL_DEV_INBOX: "1",
    });
  });

  it("leaves what the operator configured alone, even in part", () => {
    const plan = planDevInbox(loadConfig({ SMTP_URL: "smtp://mail:25", SMS_ACCOUNT_SID: "AC1" }), "s");
    expect(plan.channels).toEqual(["Slack"]);
    expect(plan.email).toBe(false);
    expect(plan.env).not.toHaveProperty("SMS_API_URL");
  });

  it("turns nothing on when every channel is configured", () => {
    const plan = planDevInbox(
      loadConfig({
        SMTP_URL: "smtp://mail:25",
        SMS_ACCOUNT_SID: "AC1",
        SMS_AUTH_TOKEN: "t",
        SMS_FROM: "+15550100000",
        SLACK_BOT_TOKEN: "xoxb-real",
      }),
      "s",
    );
    expect(plan).toEqual({ channels: [], env: {}, email: false });
  });

  it("names the channels as a sentence does", () => {
    expect(channelList(["email", "SMS", "voice", "Slack"])).toBe("email, SMS, voice and Slack");
    expect(channelList(["Slack"])).toBe("Slack");
  });
});
