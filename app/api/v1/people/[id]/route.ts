// GET /api/v1/people/{id} – a person's on-call details; `me` is yourself (viewer); PATCH – {"name"?, "time_zone"?} (your own as responder, anyone's as admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { getPerson, updatePerson } from "@/lib/oncall/people";

export const GET = apiRoute<{ id: string }>("GET /api/v1/people/{id}", async ({ ctx, params }) =>
  json(await getPerson({ ctx, input: { id: params.id } })),
);

export const PATCH = apiRoute<{ id: string }>("PATCH /api/v1/people/{id}", async ({ req, ctx, params }) =>
  json(await updatePerson({ ctx, input: untrusted({ ...(await readJsonObject(req)), id: params.id }) })),
);
