// GET /api/v1/runbooks/{slug} – one runbook (document, front matter, current version); PUT – save a new version {"markdown", "base_version"}
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { getRunbook } from "@/lib/runbooks/read-runbooks";
import { updateRunbook } from "@/lib/runbooks/save-runbook";

type Params = { slug: string };

export const GET = apiRoute<Params>("GET /api/v1/runbooks/{slug}", async ({ ctx, params }) =>
  json(await getRunbook({ ctx, input: { slug: params.slug } })),
);

export const PUT = apiRoute<Params>("PUT /api/v1/runbooks/{slug}", async ({ req, ctx, params }) => {
  const body = await readJsonObject(req);
  return json(await updateRunbook({ ctx, input: untrusted({ ...body, slug: params.slug }) }));
});
