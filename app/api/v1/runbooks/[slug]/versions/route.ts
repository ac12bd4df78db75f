// GET /api/v1/runbooks/{slug}/versions – every version, newest first, with its author and whole document
import { apiRoute, json } from "@/lib/http/api-route";
import { listRunbookVersions } from "@/lib/runbooks/read-runbooks";

export const GET = apiRoute<{ slug: string }>("GET /api/v1/runbooks/{slug}/versions", async ({ ctx, params }) =>
  json({ data: await listRunbookVersions({ ctx, input: { slug: params.slug } }) }),
);
