// POST /api/v1/maintenance-windows/{id}/end – end a window or snooze now (responder); what it held back pages
import { apiRoute, json } from "@/lib/http/api-route";
import { endMaintenanceWindow } from "@/lib/maintenance/manage-windows";

export const POST = apiRoute<{ id: string }>("POST /api/v1/maintenance-windows/{id}/end", async ({ ctx, params }) =>
  json(await endMaintenanceWindow({ ctx, input: { id: params.id } })),
);
