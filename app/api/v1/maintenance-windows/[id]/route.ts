// DELETE /api/v1/maintenance-windows/{id} – delete a window or snooze (admin); one in force ends now
import { apiRoute } from "@/lib/http/api-route";
import { deleteMaintenanceWindow } from "@/lib/maintenance/manage-windows";

export const DELETE = apiRoute<{ id: string }>("DELETE /api/v1/maintenance-windows/{id}", async ({ ctx, params }) => {
  await deleteMaintenanceWindow({ ctx, input: { id: params.id } });
  return new Response(null, { status: 204 });
});
