// GET /api/v1/postmortems – postmortems, newest first, with their action items counted (?status=, ?overdue=true)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";
import { listPostmortems } from "@/lib/postmortems/read-postmortems";

export const GET = apiRoute("GET /api/v1/postmortems", async ({ req, ctx }) =>
  json({ data: await listPostmortems({ ctx, input: untrusted(readQuery(req)), settings: postmortemSettings() }) }),
);
