// GET /api/v1/incidents/{ref}/remediations – the incident's remediation runs; POST – request a runbook action {"action", "runbook"?, "alert"?, "dry_run"?, "replicas"?}
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { listRemediationRuns } from "@/lib/remediation/list-remediation-runs";
import { requestRemediation } from "@/lib/remediation/request-remediation";
import { remediationSettingsFrom } from "@/lib/remediation/settings";
import { getRuntime } from "@/lib/runtime";

type Params = { ref: string };

export const GET = apiRoute<Params>("GET /api/v1/incidents/{ref}/remediations", async ({ ctx, params }) =>
  json({ data: await listRemediationRuns({ ctx, input: { ref: params.ref } }) }),
);

export const POST = apiRoute<Params>("POST /api/v1/incidents/{ref}/remediations", async ({ req, ctx, params }) => {
  const body = await readJsonObject(req);
  const run = await requestRemediation({
    ctx,
    input: untrusted({ ...body, ref: params.ref }),
    settings: remediationSettingsFrom(getRuntime().config),
  });
  return json(run, { status: 201 });
});
