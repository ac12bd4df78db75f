// GET /api/v1/schedules/{id}/shifts?from=&to=&format=json|csv – the final schedule's shifts over a range, CSV for on-call pay (viewer)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { listScheduleShifts } from "@/lib/oncall/calendars";

export const GET = apiRoute<{ id: string }>("GET /api/v1/schedules/{id}/shifts", async ({ req, ctx, params }) => {
  const shifts = await listScheduleShifts({ ctx, input: untrusted({ ...readQuery(req), id: params.id }) });
  if (shifts.format === "json") return json(shifts.body);
  return new Response(shifts.body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="vigil-shifts-${params.id}.csv"`,
      "cache-control": "no-store",
    },
  });
});
