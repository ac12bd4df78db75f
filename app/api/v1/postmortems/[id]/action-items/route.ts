// GET /api/v1/postmortems/{id}/action-items – the action items; POST – add one {title, owner, due_date, status}
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { createActionItem } from "@/lib/postmortems/action-items";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";
import { listActionItems } from "@/lib/postmortems/read-postmortems";

type Params = { id: string };

export const GET = apiRoute<Params>("GET /api/v1/postmortems/{id}/action-items", async ({ ctx, params }) =>
  json({ data: await listActionItems({ ctx, input: untrusted(params), settings: postmortemSettings() }) }),
);

export const POST = apiRoute<Params>("POST /api/v1/postmortems/{id}/action-items", async ({ req, ctx, params }) => {
  const body = await readJsonObject(req);
  return json(
    await createActionItem({ ctx, input: untrusted({ ...body, id: params.id }), settings: postmortemSettings() }),
    { status: 201 },
  );
});
