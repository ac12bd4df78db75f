// PATCH /api/v1/postmortems/{id}/action-items/{itemId} – change title, owner, due date or status; DELETE – remove it
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { deleteActionItem, updateActionItem } from "@/lib/postmortems/action-items";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";

type Params = { id: string; itemId: string };

export const PATCH = apiRoute<Params>(
  "PATCH /api/v1/postmortems/{id}/action-items/{itemId}",
  async ({ req, ctx, params }) => {
    const body = await readJsonObject(req);
    return json(
      await updateActionItem({
        ctx,
        input: untrusted({ ...body, id: params.id, item_id: params.itemId }),
        settings: postmortemSettings(),
      }),
    );
  },
);

export const DELETE = apiRoute<Params>(
  "DELETE /api/v1/postmortems/{id}/action-items/{itemId}",
  async ({ ctx, params }) => {
    await deleteActionItem({
      ctx,
      input: untrusted({ id: params.id, item_id: params.itemId }),
      settings: postmortemSettings(),
    });
    return new Response(null, { status: 204 });
  },
);
