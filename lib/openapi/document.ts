// GET /api/v1/openapi.json, generated from the same zod schemas the verbs validate with
// (@asteasolutions/zod-to-openapi), so the document cannot drift from the code.
import {
  extendZodWithOpenApi,
  OpenApiGeneratorV31,
  OpenAPIRegistry,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import {
  AddTimelineEventBody,
  CreateIncidentInput,
  Incident,
  IncidentList,
  ListIncidentsInput,
  ListTimelineQuery,
  ReopenIncidentBody,
  ResolveIncidentBody,
  TimelineEvent,
  UpdateIncidentBody,
} from "../incidents/schemas";
import { AlertmanagerPayload } from "../alerts/alertmanager-payload";
import {
  AlertNoise,
  Deduplication,
  AnalyticsSummary,
  DurationDistribution,
  DurationTrends,
  NoiseQuery,
  NotificationVolume,
  OncallLoad,
  OncallQuery,
  RemediationSuccess,
  SummaryQuery,
  TrendsQuery,
} from "../analytics/schemas";
import { TimeRangeQuery } from "../analytics/time-range";
import { IncidentAlert } from "../alerts/list-incident-alerts";
import { Notification } from "../notifications/list-notifications";
import { IncidentEscalation } from "../escalation/read-escalation";
import { DryRunInput } from "../notifications/explain-routing";
import { severities } from "../incidents/schemas";
import { CreateApiTokenInput } from "../auth/api-tokens";
import { AuditQuery } from "../audit/list-audit-log";
import { UpdateUserBody } from "../users/manage-users";
import { registerPostmortemPaths } from "../postmortems/openapi-paths";
import { registerRunbookPaths } from "../remediation/openapi-paths";
import { registerOnCallPaths } from "../oncall/openapi-paths";
import { registerEscalationPaths } from "../escalation/openapi-paths";
import { registerMaintenancePaths } from "../maintenance/openapi-paths";
import { registerIntegrationPaths } from "../intake/openapi-paths";
import { registerAckPaths } from "../escalation/ack-openapi-paths";

extendZodWithOpenApi(z);

const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  request_id: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const RefParams = z.object({ ref: z.string().describe("The incident's UUID or INC-<number>") });

export function buildOpenApiDocument(serverUrl: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerToken", {
    type: "http",
    scheme: "bearer",
    description: "An API token (npm run token, or /admin/tokens)",
  });
  registry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "authjs.session-token",
    description: "The browser's session after signing in; writes must come from Vigil's own origin",
  });
  // zod copies prototype extensions onto schemas when they are built, and the domain schemas were built
  // before this module extended zod; a shallow copy made now carries the `.openapi()` that naming needs.
  const named = <S extends z.ZodObject>(name: string, schema: S) => registry.register(name, z.object(schema.shape));
  const IncidentRef = named("Incident", Incident);
  const ProblemRef = named("Problem", Problem);
  const TimelineEventRef = named("TimelineEvent", TimelineEvent);

  const problem = (description: string) => ({
    description,
    content: { "application/problem+json": { schema: ProblemRef } },
  });
  const jsonBody = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
  const errors = {
    400: problem("Invalid input; `errors` names each failing field"),
    401: problem("No, unknown, revoked or expired credentials"),
    403: problem("The caller's role (or API token's scope) may not do this"),
  };
  const add = (route: RouteConfig) =>
    registry.registerPath({ security: [{ bearerToken: [] }, { session: [] }], ...route });

  add({
    method: "get",
    path: "/api/v1/incidents",
    summary: "List incidents, newest first",
    request: { query: ListIncidentsInput },
    responses: { 200: { description: "A page of incidents", ...jsonBody(IncidentList) }, ...errors },
  });
  add({
    method: "post",
    path: "/api/v1/incidents",
    summary: "Declare an incident",
    description: "Send an `Idempotency-Key` header to make retries safe: a repeat returns the first response.",
    request: { body: jsonBody(CreateIncidentInput) },
    responses: {
      201: { description: "Created", ...jsonBody(IncidentRef) },
      ...errors,
      409: problem("Idempotency-Key reused for another request"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/incidents/counts",
    summary: "How many incidents match the filters, per severity (the board's header)",
    request: { query: ListIncidentsInput.omit({ limit: true, cursor: true }) },
    responses: {
      200: {
        description: "A count per severity",
        ...jsonBody(z.object(Object.fromEntries(severities.map((s) => [s, z.number().int()])))),
      },
      ...errors,
    },
  });
  add({
    method: "get",
    path: "/api/v1/incidents/{ref}",
    summary: "Get one incident",
    request: { params: RefParams },
    responses: {
      200: { description: "The incident", ...jsonBody(IncidentRef) },
      ...errors,
      404: problem("No such incident"),
    },
  });
  add({
    method: "patch",
    path: "/api/v1/incidents/{ref}",
    summary: "Edit fields and/or move the status forward",
    request: { params: RefParams, body: jsonBody(UpdateIncidentBody) },
    responses: {
      200: { description: "The incident after the change", ...jsonBody(IncidentRef) },
      ...errors,
      404: problem("No such incident"),
      409: problem("Impossible status transition"),
    },
  });
  for (const [path, summary, body] of [
    ["/api/v1/incidents/{ref}/ack", "Acknowledge (a repeat changes nothing)", undefined],
    ["/api/v1/incidents/{ref}/resolve", "Resolve, with an optional resolution note", ResolveIncidentBody],
    ["/api/v1/incidents/{ref}/reopen", "Reopen a resolved incident", ReopenIncidentBody],
  ] as const) {
    add({
      method: "post",
      path,
      summary,
      request: { params: RefParams, ...(body ? { body: jsonBody(body) } : {}) },
      responses: {
        200: { description: "The incident after the change", ...jsonBody(IncidentRef) },
        ...errors,
        404: problem("No such incident"),
        409: problem("Impossible transition"),
      },
    });
  }
  registerEscalationPaths({ add, named, jsonBody, problem, errors }, RefParams, IncidentRef);
  add({
    method: "get",
    path: "/api/v1/incidents/{ref}/timeline",
    summary: "The incident's timeline",
    request: { params: RefParams, query: ListTimelineQuery },
    responses: {
      200: { description: "Events", ...jsonBody(z.object({ data: z.array(TimelineEventRef) })) },
      ...errors,
      404: problem("No such incident"),
    },
  });
  add({
    method: "post",
    path: "/api/v1/incidents/{ref}/timeline",
    summary: "Add a note to the timeline",
    request: { params: RefParams, body: jsonBody(AddTimelineEventBody) },
    responses: {
      201: { description: "The new event", ...jsonBody(TimelineEventRef) },
      ...errors,
      404: problem("No such incident"),
    },
  });

  add({
    method: "get",
    path: "/api/v1/incidents/{ref}/alerts",
    summary: "The incident's alerts, firing first",
    request: { params: RefParams },
    responses: {
      200: { description: "Alerts", ...jsonBody(z.object({ data: z.array(IncidentAlert) })) },
      ...errors,
      404: problem("No such incident"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/incidents/{ref}/notifications",
    summary: "The delivery log: every message, its channel, attempts and outcome",
    request: { params: RefParams },
    responses: {
      200: {
        description: "Notifications, oldest first",
        ...jsonBody(z.object({ data: z.array(named("Notification", Notification)) })),
      },
      ...errors,
      404: problem("No such incident"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/incidents/{ref}/escalation",
    summary: "The escalation policy the incident follows and why, where its latest run stands, and that run's pages",
    request: { params: RefParams },
    responses: {
      200: {
        description: "The latest run (null when no policy applied) and its pages, oldest first",
        ...jsonBody(named("IncidentEscalation", IncidentEscalation)),
      },
      ...errors,
      404: problem("No such incident"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/stream",
    summary: "Live changes as server-sent events",
    description:
      "`event: incident` with `{incident_id, event_id, kind}` on every change to any incident the caller may read; a `: ping` comment every 15 s. Reconnect with EventSource.",
    responses: {
      200: { description: "An endless event stream", content: { "text/event-stream": { schema: z.string() } } },
      ...errors,
    },
  });
  add({
    method: "get",
    path: "/api/v1/routing",
    summary: "The notification rules in force and which channels are configured (admin)",
    responses: { 200: { description: "Rules and channels" }, ...errors },
  });
  add({
    method: "post",
    path: "/api/v1/routing/dry-run",
    summary:
      "Who would be notified, by which rule, for an incident or an Alertmanager payload (admin; changes nothing)",
    request: { body: jsonBody(DryRunInput) },
    responses: {
      200: { description: "The incident as routing sees it and the decision" },
      ...errors,
      404: problem("No such incident"),
    },
  });
  add({
    method: "post",
    path: "/api/v1/webhooks/pagerduty",
    summary: "PagerDuty webhook V3 receiver (acknowledge and resolve done in PagerDuty come back to Vigil)",
    description:
      "Signed with the subscription's secret (`X-PagerDuty-Signature`, PAGERDUTY_WEBHOOK_SECRET); no API token. " +
      "A redelivery (same `X-Webhook-Id`) changes nothing. Answers 503 when PAGERDUTY_WEBHOOK_SECRET is not set.",
    security: [],
    request: {
      body: jsonBody(
        z.object({
          event: z.object({ id: z.string(), event_type: z.string(), data: z.record(z.string(), z.unknown()) }),
        }),
      ),
    },
    responses: {
      200: {
        description: "What Vigil did with the event",
        ...jsonBody(
          z.object({
            outcome: z.enum(["duplicate", "ignored", "applied", "unknown_incident"]),
            event_type: z.string(),
            incident: z.string().optional(),
          }),
        ),
      },
      401: problem("Missing or wrong signature"),
      503: problem("PagerDuty webhooks are not configured"),
    },
  });
  add({
    method: "post",
    path: "/api/v1/webhooks/alertmanager",
    summary: "Alertmanager webhook receiver (payload version 4)",
    description:
      "Point an Alertmanager `webhook_configs` receiver here with an `alerts:write` token in `http_config.authorization` " +
      "(`npm run token -- create --name alertmanager --scope alerts:write`): it can send alerts and do nothing else. " +
      "Deduplicates by fingerprint, groups by groupKey, resolves incidents when all their alerts resolve. " +
      "Answers 503 when the alerts could not be stored, so Alertmanager retries; 400 only for a payload that can never succeed.",
    request: { body: jsonBody(AlertmanagerPayload) },
    responses: {
      200: {
        description: "What the delivery did",
        ...jsonBody(
          z.object({
            alerts: z.number().int(),
            ignored: z.number().int().describe("Resolved alerts never seen firing"),
            incidents: z.object({
              created: z.array(z.string()),
              reopened: z.array(z.string()),
              updated: z.array(z.string()),
              resolved: z.array(z.string()),
            }),
          }),
        ),
      },
      ...errors,
      503: problem("The database is unavailable; Alertmanager will retry"),
    },
  });

  // Analytics: every figure is over incidents created in [from, to), drills and tests left out; durations
  // are seconds, and an incident without the timestamp is counted apart (open, unacknowledged, undetected), never as 0.
  for (const [path, summary, query, response, name] of [
    [
      "/api/v1/analytics/summary",
      "MTTD, MTTA and MTTR (mean, p50, p90) per severity, service or team, and in total",
      SummaryQuery,
      AnalyticsSummary,
      "AnalyticsSummary",
    ],
    ["/api/v1/analytics/trends", "MTTD, MTTA and MTTR per day or week", TrendsQuery, DurationTrends, "DurationTrends"],
    [
      "/api/v1/analytics/distribution",
      "How times to acknowledge and to resolve spread over fixed bins",
      TimeRangeQuery,
      DurationDistribution,
      "DurationDistribution",
    ],
    [
      "/api/v1/analytics/noise",
      "Alert noise: false positives, alerts per incident, noisiest alertnames, flapping groups",
      NoiseQuery,
      AlertNoise,
      "AlertNoise",
    ],
    [
      "/api/v1/analytics/notifications",
      "Notification volume and failures per channel",
      TimeRangeQuery,
      NotificationVolume,
      "NotificationVolume",
    ],
    [
      "/api/v1/analytics/deduplication",
      "The deduplication figure: alert copies received against notifications sent, per day, service and team",
      TimeRangeQuery,
      Deduplication,
      "Deduplication",
    ],
    [
      "/api/v1/analytics/remediation",
      "Auto-remediation success (available: false until remediation runs exist)",
      TimeRangeQuery,
      RemediationSuccess,
      "RemediationSuccess",
    ],
    [
      "/api/v1/analytics/oncall",
      "On-call load: how far escalation got before the acknowledgement (time to acknowledge per step), sent pages per person per week and nights interrupted (22:00-07:00 in the person's time zone). Runs count by when they started and pages by when they were sent; `team` and `service` narrow to those incidents",
      OncallQuery,
      OncallLoad,
      "OncallLoad",
    ],
  ] as const) {
    add({
      method: "get",
      path,
      summary,
      description:
        "Percentiles interpolate linearly between the closest ranks (PostgreSQL's percentile_cont). The range defaults to the last 30 days and spans at most 400.",
      request: { query },
      responses: { 200: { description: "The figures", ...jsonBody(named(name, response)) }, ...errors },
    });
  }

  registerPostmortemPaths({ add, named, jsonBody, problem, errors });
  registerRunbookPaths({ add, named, jsonBody, problem, errors });
  registerOnCallPaths({ add, named, jsonBody, problem, errors });
  registerMaintenancePaths({ add, named, jsonBody, problem, errors });
  registerIntegrationPaths({ add, named, jsonBody, problem, errors });
  registerAckPaths({ add, named, jsonBody, problem, errors });

  const admin = { ...errors, 404: problem("Not found") };
  add({
    method: "get",
    path: "/api/v1/users",
    summary: "Everyone who can sign in (admin)",
    responses: { 200: { description: "Users" }, ...errors },
  });
  add({
    method: "patch",
    path: "/api/v1/users/{id}",
    summary:
      "Set a user's role (a pinned role wins over the identity provider's claims), link their Slack user, and/or disable or enable them (admin)",
    description:
      "`disabled: true` disables the person and signs them out everywhere: every session they hold is refused from the next request, " +
      "and they cannot sign in or act through Slack until `disabled: false`, which does not revive the sessions that were open.",
    request: { params: z.object({ id: z.uuid() }), body: jsonBody(UpdateUserBody) },
    responses: {
      200: { description: "The user" },
      ...admin,
      409: problem(
        "The last admin cannot be demoted or disabled, nobody disables themselves, or the Slack user is linked to someone else",
      ),
    },
  });
  add({
    method: "get",
    path: "/api/v1/tokens",
    summary: "API tokens, without their secrets (admin)",
    responses: { 200: { description: "Tokens" }, ...errors },
  });
  add({
    method: "post",
    path: "/api/v1/tokens",
    summary:
      "Create an API token with a role, a scope and an optional expiry; the response carries the secret, once (admin)",
    description:
      "A token may do what both its role and its scope allow. Past `expires_at` it is refused (401) like a revoked one.",
    request: { body: jsonBody(CreateApiTokenInput) },
    responses: { 201: { description: "The token, with `token`" }, ...errors },
  });
  add({
    method: "delete",
    path: "/api/v1/tokens/{id}",
    summary: "Revoke an API token; it stops working on its next request (admin)",
    request: { params: z.object({ id: z.uuid() }) },
    responses: { 200: { description: "The revoked token" }, ...admin },
  });
  add({
    method: "get",
    path: "/api/v1/audit",
    summary: "The audit log, newest first (admin)",
    request: { query: AuditQuery },
    responses: { 200: { description: "Entries and next_cursor" }, ...errors },
  });
  add({
    method: "get",
    path: "/api/v1/audit/export",
    summary: "The filtered audit log as CSV (admin)",
    request: { query: AuditQuery.omit({ limit: true, cursor: true }) },
    responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...errors },
  });

  add({
    method: "get",
    path: "/api/health",
    summary: "Liveness and readiness: the database and the worker's heartbeat",
    security: [],
    responses: {
      200: {
        description: "The database answers; `worker` says whether a worker's heartbeat is fresh",
        ...jsonBody(z.object({ status: z.string(), database: z.string(), worker: z.string() })),
      },
      503: { description: "The database does not answer" },
    },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Vigil API",
      version: "1",
      description: "Incidents, timelines and webhooks. Errors are RFC 9457 problem documents.",
    },
    servers: [{ url: serverUrl }],
  });
}
