// GET /api/v1/people – everyone with their time zone, contact methods and notification rules (viewer); POST – add a person before their first sign-in {"name", "email", "role"?: responder, "time_zone"?} (admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { addPerson, listPeople } from "@/lib/oncall/people";

export const GET = apiRoute("GET /api/v1/people", async ({ ctx }) =>
  json({ data: await listPeople({ ctx, input: {} }) }),
);

export const POST = apiRoute("POST /api/v1/people", async ({ req, ctx }) =>
  json(await addPerson({ ctx, input: untrusted(await readJsonObject(req)) }), { status: 201 }),
);
