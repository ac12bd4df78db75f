// GET /api/v1/oncall?at=&team=&service=&schedule_id= – who is on call per schedule at an instant (default now), and until when (viewer)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { notificationSettingsIfUsable } from "@/lib/notifications/settings";
import { whoIsOnCall } from "@/lib/oncall/who-is-on-call";

export const GET = apiRoute("GET /api/v1/oncall", async ({ req, ctx }) =>
  json(await whoIsOnCall({ ctx, input: untrusted(readQuery(req)), routing: notificationSettingsIfUsable()?.routing })),
);
