// POST /api/dev-inbox/twilio/2010-04-01/Accounts/{sid}/Messages.json – an SMS into the dev inbox (npm start only)
import { devInboxTwilioRoute } from "@/lib/http/dev-inbox-routes";

export const POST = devInboxTwilioRoute(
  "POST /api/dev-inbox/twilio/2010-04-01/Accounts/{sid}/Messages.json",
  "Messages",
);
