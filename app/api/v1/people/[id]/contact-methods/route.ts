// POST /api/v1/people/{id}/contact-methods – add {"kind": "email"|"sms"|"slack"|"voice", "value", "label"?} (your own as responder, anyone's as admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { addContactMethod } from "@/lib/oncall/people";

export const POST = apiRoute<{ id: string }>("POST /api/v1/people/{id}/contact-methods", async ({ req, ctx, params }) =>
  json(await addContactMethod({ ctx, input: untrusted({ ...(await readJsonObject(req)), id: params.id }) }), {
    status: 201,
  }),
);
