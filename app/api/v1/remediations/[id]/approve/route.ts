// POST /api/v1/remediations/{id}/approve – approve a run that waits (admins; a second responder with REMEDIATION_TWO_PERSON=1)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { approveRemediation } from "@/lib/remediation/decide-on-run";
import { remediationSettingsFrom } from "@/lib/remediation/settings";
import { getRuntime } from "@/lib/runtime";

export const POST = apiRoute<{ id: string }>("POST /api/v1/remediations/{id}/approve", async ({ req, ctx, params }) => {
  const body = await readJsonObject(req);
  return json(
    await approveRemediation({
      ctx,
      input: untrusted({ ...body, id: params.id }),
      settings: remediationSettingsFrom(getRuntime().config),
    }),
  );
});
