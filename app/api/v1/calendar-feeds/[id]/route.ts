// DELETE /api/v1/calendar-feeds/{id} – revoke a calendar feed at once (its owner, or an admin)
import { apiRoute, json } from "@/lib/http/api-route";
import { revokeCalendarFeed } from "@/lib/oncall/calendars";

export const DELETE = apiRoute<{ id: string }>("DELETE /api/v1/calendar-feeds/{id}", async ({ ctx, params }) =>
  json(await revokeCalendarFeed({ ctx, input: { id: params.id } })),
);
