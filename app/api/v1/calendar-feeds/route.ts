// POST /api/v1/calendar-feeds – a secret iCal URL for {"user_id": "me"|id} (yours; anyone's as admin) or {"schedule_id"}; shown once (viewer)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { createCalendarFeed } from "@/lib/oncall/calendars";
import { getRuntime } from "@/lib/runtime";

export const POST = apiRoute("POST /api/v1/calendar-feeds", async ({ req, ctx }) =>
  json(
    await createCalendarFeed({ ctx, input: untrusted(await readJsonObject(req)), appUrl: getRuntime().config.appUrl }),
    { status: 201 },
  ),
);
