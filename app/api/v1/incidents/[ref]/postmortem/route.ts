// GET /api/v1/incidents/{ref}/postmortem – the incident's postmortem (its draft as JSON, `markdown` inside);
// POST – write it now, or refresh it from the incident's record keeping every section people edited
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { draftPostmortem } from "@/lib/postmortems/draft-postmortem";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";
import { getIncidentPostmortem } from "@/lib/postmortems/read-postmortems";

type Params = { ref: string };

export const GET = apiRoute<Params>("GET /api/v1/incidents/{ref}/postmortem", async ({ ctx, params }) =>
  json(await getIncidentPostmortem({ ctx, input: untrusted(params), settings: postmortemSettings() })),
);

export const POST = apiRoute<Params>("POST /api/v1/incidents/{ref}/postmortem", async ({ ctx, params }) => {
  const settings = postmortemSettings();
  const { postmortem, created } = await draftPostmortem({ ctx, input: untrusted(params), settings });
  return json(
    postmortem,
    created ? { status: 201, headers: { location: `${settings.appUrl}/api/v1/postmortems/${postmortem.id}` } } : {},
  );
});
