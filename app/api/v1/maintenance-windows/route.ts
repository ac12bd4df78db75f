// GET /api/v1/maintenance-windows – windows and snoozes (?state=active|upcoming|ended|all); POST – create a
// window (responder): matching incidents open and update but page nobody until it ends
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonObject, readQuery } from "@/lib/http/request";
import { createMaintenanceWindow, listMaintenanceWindows } from "@/lib/maintenance/manage-windows";

export const GET = apiRoute("GET /api/v1/maintenance-windows", async ({ req, ctx }) =>
  json({ data: await listMaintenanceWindows({ ctx, input: untrusted(readQuery(req)) }) }),
);

export const POST = apiRoute("POST /api/v1/maintenance-windows", async ({ req, ctx }) =>
  json(await createMaintenanceWindow({ ctx, input: untrusted(await readJsonObject(req)) }), { status: 201 }),
);
