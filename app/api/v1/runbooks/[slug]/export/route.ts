// GET /api/v1/runbooks/{slug}/export – the current version as a file for runbooks/ (commit it to keep an app edit in Git)
import { apiRoute } from "@/lib/http/api-route";
import { exportRunbook } from "@/lib/runbooks/read-runbooks";

export const GET = apiRoute<{ slug: string }>("GET /api/v1/runbooks/{slug}/export", async ({ ctx, params }) => {
  const { fileName, markdown } = await exportRunbook({ ctx, input: { slug: params.slug } });
  return new Response(markdown, {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
    },
  });
});
