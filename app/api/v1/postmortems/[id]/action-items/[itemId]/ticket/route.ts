// POST /api/v1/postmortems/{id}/action-items/{itemId}/ticket – file the item in Jira or GitHub (202: the
// worker does it; poll the item until `ticket.state` is created or failed)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";
import { requestActionItemTicket } from "@/lib/postmortems/request-ticket";

export const POST = apiRoute<{ id: string; itemId: string }>(
  "POST /api/v1/postmortems/{id}/action-items/{itemId}/ticket",
  async ({ ctx, params }) =>
    json(
      await requestActionItemTicket({
        ctx,
        input: untrusted({ id: params.id, item_id: params.itemId }),
        settings: postmortemSettings(),
      }),
      { status: 202 },
    ),
);
