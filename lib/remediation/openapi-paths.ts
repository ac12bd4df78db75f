// The runbook and remediation endpoints in the OpenAPI document (lib/openapi/document.ts calls this with
// its helpers), described from the same zod schemas the verbs validate with.
import type { OpenApiHelpers } from "../openapi/helpers";
import { z } from "zod";
import {
  ApproveRunbookActionsBody,
  CreateRunbookInput,
  RunbookDetail,
  RunbookSummary,
  RunbookVersion,
  UpdateRunbookBody,
} from "../runbooks/schemas";
import { RunbookRuns, RunbookRunsQuery } from "./runbook-runs";
import { DecideRemediationBody, IncidentRunbook, RemediationRun, RequestRemediationBody } from "./schemas";

export function registerRunbookPaths({ add, named, jsonBody, problem, errors }: OpenApiHelpers): void {
  const RunbookRef = named("Runbook", RunbookDetail);
  const RunRef = named("RemediationRun", RemediationRun);
  const slug = z.object({ slug: z.string().describe("The runbook's slug, e.g. high-error-rate") });
  const ref = z.object({ ref: z.string().describe("The incident's UUID or INC-<number>") });
  const id = z.object({ id: z.uuid().describe("The remediation run's id") });
  const missing = problem("No such runbook");

  add({
    method: "get",
    path: "/api/v1/runbooks",
    summary: "The runbook catalog",
    responses: {
      200: {
        description: "Runbooks",
        ...jsonBody(z.object({ data: z.array(named("RunbookSummary", RunbookSummary)) })),
      },
      ...errors,
    },
  });
  add({
    method: "post",
    path: "/api/v1/runbooks",
    summary: "Create a runbook from a whole document (front matter and markdown); responders",
    description:
      "`errors` names each front-matter problem as `front_matter.<field>`, its message starting with the line.",
    request: { body: jsonBody(CreateRunbookInput) },
    responses: {
      201: { description: "The runbook", ...jsonBody(RunbookRef) },
      ...errors,
      409: problem("The slug is taken"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/runbooks/{slug}",
    summary: "One runbook: its current version",
    request: { params: slug },
    responses: { 200: { description: "The runbook", ...jsonBody(RunbookRef) }, ...errors, 404: missing },
  });
  add({
    method: "put",
    path: "/api/v1/runbooks/{slug}",
    summary: "Save a new version (responders); an unchanged document makes none",
    request: { params: slug, body: jsonBody(UpdateRunbookBody) },
    responses: {
      200: {
        description: "The runbook and whether it changed",
        ...jsonBody(z.object({ runbook: RunbookRef, changed: z.boolean() })),
      },
      ...errors,
      404: missing,
      409: problem("A newer version was saved since base_version"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/runbooks/{slug}/versions",
    summary: "Every version, newest first, with its author and source (file or app)",
    request: { params: slug },
    responses: {
      200: {
        description: "Versions",
        ...jsonBody(z.object({ data: z.array(named("RunbookVersion", RunbookVersion)) })),
      },
      ...errors,
      404: missing,
    },
  });
  add({
    method: "post",
    path: "/api/v1/runbooks/{slug}/approve-actions",
    summary:
      "Approve the actions of a runbook from a Runbook custom resource (admins); text-only changes keep the approval",
    request: { params: slug, body: jsonBody(ApproveRunbookActionsBody) },
    responses: {
      200: {
        description: "The runbook and whether the approval changed",
        ...jsonBody(z.object({ runbook: RunbookRef, changed: z.boolean() })),
      },
      ...errors,
      404: missing,
      409: problem("Not from a resource, a newer version arrived, the resource was deleted or is refused"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/runbooks/{slug}/runs",
    summary:
      "Every run of the runbook's actions across incidents, newest first (keyset paging), with its success rate and median duration",
    description:
      "Filters: `outcome` (a run status; repeat for several), `action` (an action id), `from` / `to` (requested at). The stats cover the same action and dates, every outcome.",
    request: { params: slug, query: RunbookRunsQuery },
    responses: {
      200: { description: "Runs and stats", ...jsonBody(named("RunbookRuns", RunbookRuns)) },
      ...errors,
      404: missing,
    },
  });
  add({
    method: "get",
    path: "/api/v1/runbooks/{slug}/export",
    summary: "The current version as a file for runbooks/ (commit it to keep an app edit in Git)",
    request: { params: slug },
    responses: {
      200: { description: "The document", content: { "text/markdown": { schema: z.string() } } },
      ...errors,
      404: missing,
    },
  });
  add({
    method: "get",
    path: "/api/v1/incidents/{ref}/runbook",
    summary:
      "The runbook the incident follows (its alert's runbook_url, else alertname and labels), and what each action would act on",
    request: { params: ref },
    responses: {
      200: { description: "The runbook, or null", ...jsonBody(named("IncidentRunbook", IncidentRunbook)) },
      ...errors,
      404: problem("No such incident"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/incidents/{ref}/remediations",
    summary: "The incident's remediation runs, newest first",
    request: { params: ref },
    responses: {
      200: { description: "Runs", ...jsonBody(z.object({ data: z.array(RunRef) })) },
      ...errors,
      404: problem("No such incident"),
    },
  });
  add({
    method: "post",
    path: "/api/v1/incidents/{ref}/remediations",
    summary:
      "Request a runbook action (responders): the policy allows it, rate limits it, sends it to approval or denies it",
    description:
      "The decision and its reason are in the run's `status` and `reason`, on the timeline and in the audit log; an allowed run is executed by the worker.",
    request: { params: ref, body: jsonBody(RequestRemediationBody) },
    responses: {
      201: { description: "The run as decided", ...jsonBody(RunRef) },
      ...errors,
      404: problem("No such incident, runbook or action"),
    },
  });
  for (const [verb, summary] of [
    [
      "approve",
      "Approve a run that waits (admins; a second responder with REMEDIATION_TWO_PERSON=1, never the requester)",
    ],
    ["reject", "Reject a run that waits, with an optional reason"],
  ] as const) {
    add({
      method: "post",
      path: `/api/v1/remediations/{id}/${verb}`,
      summary,
      request: { params: id, body: jsonBody(DecideRemediationBody) },
      responses: {
        200: { description: "The run after the decision", ...jsonBody(RunRef) },
        ...errors,
        404: problem("No such run"),
        409: problem("The run is not waiting for approval"),
      },
    });
  }
}
