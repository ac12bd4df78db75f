// The maintenance window and snooze endpoints in the OpenAPI document, from the verbs' own zod schemas.
import { z } from "zod";
import type { OpenApiHelpers } from "../openapi/helpers";
import {
  CreateMaintenanceWindowInput,
  ListMaintenanceWindowsQuery,
  MaintenanceWindow,
  SnoozeIncidentBody,
} from "./schemas";

export function registerMaintenancePaths({ add, named, jsonBody, problem, errors }: OpenApiHelpers): void {
  const WindowRef = named("MaintenanceWindow", MaintenanceWindow);
  const id = z.object({ id: z.uuid().describe("The window's id") });
  const missing = problem("No such maintenance window (or it was deleted)");
  const muting =
    "While a window is active, incidents it matches (by service, team and labels, by equality; a snooze: by alert group) still open and update, " +
    "but page nobody and start no automatic remediation. When it ends, incidents it held back that are still unresolved are paged then.";

  add({
    method: "get",
    path: "/api/v1/maintenance-windows",
    summary: "Maintenance windows and snoozes, latest end first",
    request: { query: ListMaintenanceWindowsQuery },
    responses: { 200: { description: "Windows", ...jsonBody(z.object({ data: z.array(WindowRef) })) }, ...errors },
  });
  add({
    method: "post",
    path: "/api/v1/maintenance-windows",
    summary: "Create a maintenance window (responder)",
    description: `${muting} Name at least one of service, team, labels; give ends_at or duration (at most 14 days).`,
    request: { body: jsonBody(CreateMaintenanceWindowInput) },
    responses: { 201: { description: "The window", ...jsonBody(WindowRef) }, ...errors },
  });
  add({
    method: "post",
    path: "/api/v1/maintenance-windows/{id}/end",
    summary: "End a window or snooze now (responder); what it held back is paged",
    request: { params: id },
    responses: {
      200: { description: "The window, ended", ...jsonBody(WindowRef) },
      ...errors,
      404: missing,
      409: problem("The window has already ended"),
    },
  });
  add({
    method: "delete",
    path: "/api/v1/maintenance-windows/{id}",
    summary: "Delete a window or snooze (admin); one in force ends now and what it held back is paged",
    request: { params: id },
    responses: { 204: { description: "Deleted" }, ...errors, 404: missing },
  });
  add({
    method: "post",
    path: "/api/v1/incidents/{ref}/snooze",
    summary: "Snooze the incident's alert group (responder)",
    description: `A window on this incident's alert group, from now. ${muting}`,
    request: {
      params: z.object({ ref: z.string().describe("The incident's UUID or INC-<number>") }),
      body: jsonBody(SnoozeIncidentBody),
    },
    responses: {
      201: { description: "The snooze", ...jsonBody(WindowRef) },
      ...errors,
      404: problem("No such incident"),
      409: problem("The incident was declared by hand: it has no alert group"),
    },
  });
}
