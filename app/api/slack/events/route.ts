// POST /api/slack/events – Slack Events API: url_verification, pin_added, reaction_added (signed with SLACK_SIGNING_SECRET)
import { after } from "next/server";
import { signedWebhookRoute } from "@/lib/http/api-route";
import { handleSlackRequest } from "@/lib/slack-bot/slack-request";

export const runtime = "nodejs";

export const POST = signedWebhookRoute("POST /api/slack/events", ({ req, requestId, log }) =>
  handleSlackRequest({ req, requestId, log, defer: (work) => after(work) }),
);
