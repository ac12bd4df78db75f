// GET /api/v1/postmortems/{id} – the postmortem, its action items and revisions; PATCH – save the markdown
// (with the version it is based on) and/or move its status (draft, in_review, published)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";
import { getPostmortem } from "@/lib/postmortems/read-postmortems";
import { updatePostmortem } from "@/lib/postmortems/update-postmortem";

type Params = { id: string };

export const GET = apiRoute<Params>("GET /api/v1/postmortems/{id}", async ({ ctx, params }) =>
  json(await getPostmortem({ ctx, input: untrusted(params), settings: postmortemSettings() })),
);

export const PATCH = apiRoute<Params>("PATCH /api/v1/postmortems/{id}", async ({ req, ctx, params }) => {
  const body = await readJsonObject(req);
  return json(
    await updatePostmortem({ ctx, input: untrusted({ ...body, id: params.id }), settings: postmortemSettings() }),
  );
});
