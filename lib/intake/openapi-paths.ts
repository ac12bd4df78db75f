// The integration endpoints and the alert-source doors in the OpenAPI document (lib/openapi/document.ts
// calls this with its helpers). The doors speak their vendors' protocols; their bodies are described there.
import { z } from "zod";
import { CreateIntegrationInput, IntegrationEvent, IntegrationSummary, UpdateIntegrationBody } from "./integrations";
import type { OpenApiHelpers } from "../openapi/helpers";
import { VigilEvent } from "./vigil-event";

export function registerIntegrationPaths({ add, named, jsonBody, problem, errors }: OpenApiHelpers): void {
  const IntegrationRef = named("Integration", IntegrationSummary);
  const id = z.object({ id: z.uuid().describe("The integration's id") });
  const missing = problem("No such integration");
  const withSecret = z.object({ ...IntegrationSummary.shape, secret: z.string().describe("Shown this once") });

  add({
    method: "get",
    path: "/api/v1/integrations",
    summary: "Alert sources, with their last event, events and incidents opened today (admin)",
    responses: {
      200: { description: "Integrations", ...jsonBody(z.object({ data: z.array(IntegrationRef) })) },
      ...errors,
    },
  });
  add({
    method: "post",
    path: "/api/v1/integrations",
    summary: "Create an integration; the response carries its secret (an alerts:write API token), once (admin)",
    request: { body: jsonBody(CreateIntegrationInput) },
    responses: { 201: { description: "The integration, with `secret`", ...jsonBody(withSecret) }, ...errors },
  });
  add({
    method: "get",
    path: "/api/v1/integrations/{id}",
    summary: "One integration and the last 50 payloads it received (secrets redacted) with what Vigil did (admin)",
    request: { params: id },
    responses: {
      200: {
        description: "The integration",
        ...jsonBody(z.object({ ...IntegrationSummary.shape, recent_events: z.array(IntegrationEvent) })),
      },
      ...errors,
      404: missing,
    },
  });
  add({
    method: "patch",
    path: "/api/v1/integrations/{id}",
    summary: "Edit an integration's name, defaults and options (admin)",
    request: { params: id, body: jsonBody(UpdateIntegrationBody) },
    responses: { 200: { description: "The integration", ...jsonBody(IntegrationRef) }, ...errors, 404: missing },
  });
  add({
    method: "delete",
    path: "/api/v1/integrations/{id}",
    summary: "Delete an integration and revoke its secret; its incidents stay (admin)",
    request: { params: id },
    responses: { 200: { description: "Deleted" }, ...errors, 404: missing },
  });
  add({
    method: "post",
    path: "/api/v1/integrations/{id}/rotate",
    summary: "A new secret, shown once; the old one stops working at once (admin)",
    request: { params: id },
    responses: {
      200: { description: "The integration, with `secret`", ...jsonBody(withSecret) },
      ...errors,
      404: missing,
    },
  });

  const door = (path: string, summary: string, description: string, method: "post" | "put" = "post") =>
    add({
      method,
      path,
      summary,
      description,
      security: [],
      ...(path.includes("{identifier}") && {
        request: { params: z.object({ identifier: z.string().describe("The alert's alias") }) },
      }),
      responses: {
        202: { description: "Accepted and processed" },
        400: { description: "Invalid body, in the vendor's error shape (Opsgenie: 422)" },
        401: { description: "Not the secret of a live integration of this kind" },
        503: { description: "Could not be stored; retry" },
      },
    });
  door(
    "/api/v1/integrations/pagerduty/v2/enqueue",
    "PagerDuty Events API v2, received",
    "Exactly PagerDuty's /v2/enqueue: `routing_key` is a pagerduty integration's secret; `event_action` trigger, acknowledge or resolve. " +
      'Answers 202 `{"status":"success","message":"Event processed","dedup_key":…}` or 400 `{"status":"invalid event","message":…,"errors":[…]}`.',
  );
  door(
    "/api/v1/integrations/grafana",
    "Grafana Alerting's webhook contact point (payload version 1)",
    "HTTP Basic (the password is a grafana integration's secret) or `Authorization: <any scheme> <secret>`. " +
      "With an HMAC secret set on the integration, `X-Grafana-Alerting-Signature` (hex HMAC-SHA256 of the body, or of " +
      "`<timestamp>:<body>` with its timestamp header) is required. Answers 200 with what Vigil did.",
  );
  const genie =
    "`Authorization: GenieKey <secret>` of an opsgenie integration; answers 202 `{result, took, requestId}` as Opsgenie does";
  door(
    "/api/v1/integrations/opsgenie/v2/alerts",
    "Opsgenie Alert API: create an alert",
    `\`alias\` names the alert. ${genie}.`,
  );
  for (const action of ["close", "acknowledge"])
    door(
      `/api/v1/integrations/opsgenie/v2/alerts/{identifier}/${action}`,
      `Opsgenie Alert API: ${action} an alert by alias`,
      `An unknown alias is accepted and changes nothing. ${genie}.`,
    );
  for (const field of ["message", "description"])
    door(
      `/api/v1/integrations/opsgenie/v2/alerts/{identifier}/${field}`,
      `Opsgenie Alert API: update an alert's ${field} by alias`,
      `What Alertmanager's opsgenie_configs send with update_alerts. ${genie}.`,
      "put",
    );
  door(
    "/api/v1/integrations/heartbeat",
    "A heartbeat's ping (Bearer: a heartbeat integration's secret)",
    "Any body is accepted (route Alertmanager's Watchdog alert here). No ping within the integration's " +
      "interval_minutes opens an incident; the next ping resolves it.",
  );
  add({
    method: "post",
    path: "/api/v1/integrations/webhook",
    summary: "A Vigil event from any tool (Bearer: a webhook integration's secret)",
    security: [{ bearerToken: [] }],
    request: { body: jsonBody(VigilEvent) },
    responses: { 202: { description: "What Vigil did" }, ...errors },
  });
}
