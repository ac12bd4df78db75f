// GET /api/calendar/{token} – an iCal feed of on-call shifts, 180 days ahead; the secret token in the URL is the credential (calendar apps send no other)
import { notFound } from "@/lib/errors";
import { signedWebhookRoute } from "@/lib/http/api-route";
import { problemResponse } from "@/lib/http/problem";
import { renderCalendarFeed } from "@/lib/oncall/calendars";
import { getRuntime } from "@/lib/runtime";

export const GET = signedWebhookRoute<{ token: string }>("GET /api/calendar/{token}", async ({ db, now, params }) => {
  const token = params.token.replace(/\.ics$/, "");
  const body = await renderCalendarFeed(db, token, now, getRuntime().config.appUrl);
  if (body === null) return problemResponse(notFound("This calendar feed (unknown or revoked)"));
  return new Response(body, {
    headers: { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, max-age=300" },
  });
});
