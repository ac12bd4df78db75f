// The escalation doors in the OpenAPI document (lib/openapi/document.ts calls this with its helpers),
// described from the schemas the verbs validate with.
import { z } from "zod";
import type { OpenApiHelpers } from "../openapi/helpers";
import { EscalationDto, ReassignBody } from "./manual";

export function registerEscalationPaths(
  { add, named, jsonBody, problem, errors }: OpenApiHelpers,
  refParams: z.ZodObject,
  incident: z.ZodType,
): void {
  const Change = z.object({ incident, escalation: named("Escalation", EscalationDto).nullable() });
  add({
    method: "post",
    path: "/api/v1/incidents/{ref}/escalate",
    summary: "Escalate now: run the escalation's next step at once (responder)",
    request: { params: refParams },
    responses: {
      200: { description: "The incident and its escalation after the step", ...jsonBody(Change) },
      ...errors,
      404: problem("No such incident"),
      409: problem("The incident is not open, or has no running escalation"),
    },
  });
  add({
    method: "post",
    path: "/api/v1/incidents/{ref}/reassign",
    summary: "Reassign: stop the escalation and page a person (who becomes the owner) or another policy (responder)",
    request: { params: refParams, body: jsonBody(ReassignBody) },
    responses: {
      200: { description: "The incident and its new escalation (null when it is not open)", ...jsonBody(Change) },
      ...errors,
      404: problem("No such incident"),
    },
  });
}
