// GET /api/v1/schedules/{id} – layers, overrides, the final schedule for two weeks and lint warnings (viewer); PATCH – name, description, team, time_zone; DELETE (admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { deleteSchedule, getSchedule, updateSchedule } from "@/lib/oncall/schedules";

export const GET = apiRoute<{ id: string }>("GET /api/v1/schedules/{id}", async ({ ctx, params }) =>
  json(await getSchedule({ ctx, input: { id: params.id } })),
);

export const PATCH = apiRoute<{ id: string }>("PATCH /api/v1/schedules/{id}", async ({ req, ctx, params }) =>
  json(await updateSchedule({ ctx, input: untrusted({ ...(await readJsonObject(req)), id: params.id }) })),
);

export const DELETE = apiRoute<{ id: string }>("DELETE /api/v1/schedules/{id}", async ({ ctx, params }) =>
  json(await deleteSchedule({ ctx, input: { id: params.id } })),
);
