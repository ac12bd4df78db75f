// POST /api/v1/runbooks/{slug}/approve-actions – an admin approves the actions of a runbook from a Runbook resource {"version"}
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { approveRunbookActions } from "@/lib/runbooks/approve-runbook-actions";

export const POST = apiRoute<{ slug: string }>(
  "POST /api/v1/runbooks/{slug}/approve-actions",
  async ({ req, ctx, params }) => {
    const body = await readJsonObject(req);
    return json(await approveRunbookActions({ ctx, input: untrusted({ ...body, slug: params.slug }) }));
  },
);
