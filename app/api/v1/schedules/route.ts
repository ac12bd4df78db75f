// GET /api/v1/schedules – every schedule (viewer); POST – create {"name", "time_zone", "layers"?: [...]}, answered with lint warnings (admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { createSchedule, listSchedules } from "@/lib/oncall/schedules";

export const GET = apiRoute("GET /api/v1/schedules", async ({ ctx }) =>
  json({ data: await listSchedules({ ctx, input: {} }) }),
);

export const POST = apiRoute("POST /api/v1/schedules", async ({ req, ctx }) =>
  json(await createSchedule({ ctx, input: untrusted(await readJsonObject(req)) }), { status: 201 }),
);
