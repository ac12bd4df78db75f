// POST /api/v1/remediations/{id}/reject – reject a run that waits, with an optional reason
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { rejectRemediation } from "@/lib/remediation/decide-on-run";
import { remediationSettingsFrom } from "@/lib/remediation/settings";
import { getRuntime } from "@/lib/runtime";

export const POST = apiRoute<{ id: string }>("POST /api/v1/remediations/{id}/reject", async ({ req, ctx, params }) => {
  const body = await readJsonObject(req);
  return json(
    await rejectRemediation({
      ctx,
      input: untrusted({ ...body, id: params.id }),
      settings: remediationSettingsFrom(getRuntime().config),
    }),
  );
});
