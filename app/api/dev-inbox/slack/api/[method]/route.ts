// POST /api/dev-inbox/slack/api/{method} – the Slack Web API methods Vigil calls, into the dev inbox (npm start only)
import { devInboxSlackRoute } from "@/lib/http/dev-inbox-routes";

export const POST = devInboxSlackRoute("POST /api/dev-inbox/slack/api/{method}");
