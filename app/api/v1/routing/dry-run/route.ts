// POST /api/v1/routing/dry-run – who would be notified, by which rule: {"incident": "INC-12"} or {"alertmanager_payload": {...}} (admin; changes nothing)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/request";
import { dryRunRouting } from "@/lib/notifications/explain-routing";
import { notificationSettings } from "@/lib/notifications/settings";
import { getRuntime } from "@/lib/runtime";

export const POST = apiRoute("POST /api/v1/routing/dry-run", async ({ req, ctx }) =>
  json(
    await dryRunRouting({
      ctx,
      input: untrusted(await readJsonObject(req, 16 * 1024 * 1024)),
      settings: notificationSettings(),
      alertSettings: getRuntime().config.alerts,
    }),
  ),
);
