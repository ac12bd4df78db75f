// GET /api/v1/routing – the notification rules in force and which channels are configured (admin)
import { apiRoute, json } from "@/lib/http/api-route";
import { effectiveRouting } from "@/lib/notifications/explain-routing";
import { notificationSettings } from "@/lib/notifications/settings";

export const GET = apiRoute("GET /api/v1/routing", async ({ ctx }) =>
  json(effectiveRouting({ ctx, input: {}, settings: notificationSettings() })),
);
