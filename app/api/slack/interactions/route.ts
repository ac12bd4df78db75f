// POST /api/slack/interactions – Slack buttons, menus and modal submissions (signed with SLACK_SIGNING_SECRET)
import { after } from "next/server";
import { signedWebhookRoute } from "@/lib/http/api-route";
import { handleSlackRequest } from "@/lib/slack-bot/slack-request";

export const runtime = "nodejs";

export const POST = signedWebhookRoute("POST /api/slack/interactions", ({ req, requestId, log }) =>
  handleSlackRequest({ req, requestId, log, defer: (work) => after(work) }),
);
