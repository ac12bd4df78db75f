// POST /api/slack/commands – Slack slash commands /incident and /runbook (signed with SLACK_SIGNING_SECRET)
import { after } from "next/server";
import { signedWebhookRoute } from "@/lib/http/api-route";
import { handleSlackRequest } from "@/lib/slack-bot/slack-request";

export const runtime = "nodejs";

export const POST = signedWebhookRoute("POST /api/slack/commands", ({ req, requestId, log }) =>
  handleSlackRequest({ req, requestId, log, defer: (work) => after(work) }),
);
