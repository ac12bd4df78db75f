// GET /api/v1/runbooks/{slug}/runs – every run of the runbook's actions across incidents, newest first, with its success rate and median duration
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { listRunbookRuns } from "@/lib/remediation/runbook-runs";

export const GET = apiRoute<{ slug: string }>("GET /api/v1/runbooks/{slug}/runs", async ({ req, ctx, params }) =>
  json(await listRunbookRuns({ ctx, input: untrusted({ ...readQuery(req), slug: params.slug }) })),
);
