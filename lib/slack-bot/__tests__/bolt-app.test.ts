// The Bolt app is built on first use with one auth.test, shared afterwards, and built again after a
// failed start instead of keeping the failure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_SLACK_BOT_TOKEN, startFakeSlack, type FakeSlack } from "@/e2e/fakes";
import { createLogger } from "@/lib/observability/logger";
import { slackBotApp } from "../bolt-app";

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack({ botToken: FAKE_SLACK_BOT_TOKEN });
});
afterAll(() => slack.close());

describe("the Slack bot's Bolt app", () => {
  it("starts lazily with one auth.test, retries a failed start, and is shared once started", async () => {
    const settings = { botToken: FAKE_SLACK_BOT_TOKEN, apiUrl: `${slack.url}/api/` };
    const log = createLogger("silent");
    expect(slack.received).toEqual([]);
    slack.fail({ times: 1, status: 500, only: "auth.test" });
    await expect(slackBotApp(settings, log)).rejects.toThrow();
    const app = await slackBotApp(settings, log);
    expect(await slackBotApp(settings, log)).toBe(app);
    expect(slack.received.map((r) => [r.method, r.failedWith ?? r.status])).toEqual([
      ["auth.test", 500],
      ["auth.test", 200],
    ]);
  });
});
