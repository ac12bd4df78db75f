// GET /api/v1/runbooks – the runbook catalog; POST – create a runbook from a whole document {"markdown": "---\n…"}
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { listRunbooks } from "@/lib/runbooks/read-runbooks";
import { createRunbook } from "@/lib/runbooks/save-runbook";
import { getRuntime } from "@/lib/runtime";

export const GET = apiRoute("GET /api/v1/runbooks", async ({ ctx }) =>
  json({ data: await listRunbooks({ ctx, input: {} }) }),
);

export const POST = apiRoute("POST /api/v1/runbooks", async ({ req, ctx }) => {
  const { runbook } = await createRunbook({ ctx, input: untrusted(await readJsonObject(req)) });
  return json(runbook, {
    status: 201,
    headers: { location: `${getRuntime().config.appUrl}/api/v1/runbooks/${runbook.slug}` },
  });
});
