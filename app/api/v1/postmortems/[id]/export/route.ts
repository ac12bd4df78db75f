// GET /api/v1/postmortems/{id}/export – the postmortem as a markdown file, its action items listed in it
import { untrusted } from "@/lib/context";
import { apiRoute } from "@/lib/http/api-route";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";
import { exportPostmortem } from "@/lib/postmortems/read-postmortems";

export const GET = apiRoute<{ id: string }>("GET /api/v1/postmortems/{id}/export", async ({ ctx, params }) => {
  const { fileName, markdown } = await exportPostmortem({
    ctx,
    input: untrusted(params),
    settings: postmortemSettings(),
  });
  return new Response(markdown, {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
});
