// The postmortem endpoints in the OpenAPI document (lib/openapi/document.ts calls this with its helpers),
// described from the same zod schemas the verbs validate with.
import type { OpenApiHelpers } from "../openapi/helpers";
import { z } from "zod";
import {
  ActionItem,
  CreateActionItemBody,
  ListPostmortemsQuery,
  Postmortem,
  PostmortemSummary,
  UpdateActionItemBody,
  UpdatePostmortemBody,
} from "./schemas";

export function registerPostmortemPaths({ add, named, jsonBody, problem, errors }: OpenApiHelpers): void {
  const PostmortemRef = named("Postmortem", Postmortem);
  const SummaryRef = named("PostmortemSummary", PostmortemSummary);
  const ActionItemRef = named("ActionItem", ActionItem);
  const id = z.object({ id: z.uuid().describe("The postmortem's id") });
  const item = id.extend({ itemId: z.uuid().describe("The action item's id") });
  const ref = z.object({ ref: z.string().describe("The incident's UUID or INC-<number>") });
  const missing = problem("No such postmortem (or action item)");

  add({
    method: "get",
    path: "/api/v1/postmortems",
    summary: "Postmortems, newest first, with their action items counted",
    request: { query: ListPostmortemsQuery },
    responses: { 200: { description: "Postmortems", ...jsonBody(z.object({ data: z.array(SummaryRef) })) }, ...errors },
  });
  add({
    method: "get",
    path: "/api/v1/postmortems/{id}",
    summary: "One postmortem: markdown, action items, revisions",
    request: { params: id },
    responses: { 200: { description: "The postmortem", ...jsonBody(PostmortemRef) }, ...errors, 404: missing },
  });
  add({
    method: "patch",
    path: "/api/v1/postmortems/{id}",
    summary: "Save the markdown (naming the version it is based on) and/or move the status",
    description:
      "draft -> in_review -> published; in_review -> draft; published -> in_review. Publishing needs the publish permission. A published postmortem is read-only.",
    request: { params: id, body: jsonBody(UpdatePostmortemBody) },
    responses: {
      200: { description: "The postmortem after the change", ...jsonBody(PostmortemRef) },
      ...errors,
      404: missing,
      409: problem("Based on an older version, published, or an impossible status move"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/postmortems/{id}/export",
    summary: "The postmortem as a markdown file, its action items listed in it",
    request: { params: id },
    responses: {
      200: { description: "Markdown", content: { "text/markdown": { schema: z.string() } } },
      ...errors,
      404: missing,
    },
  });
  add({
    method: "get",
    path: "/api/v1/postmortems/{id}/action-items",
    summary: "The postmortem's action items",
    request: { params: id },
    responses: {
      200: { description: "Action items", ...jsonBody(z.object({ data: z.array(ActionItemRef) })) },
      ...errors,
      404: missing,
    },
  });
  add({
    method: "post",
    path: "/api/v1/postmortems/{id}/action-items",
    summary: "Add an action item",
    request: { params: id, body: jsonBody(CreateActionItemBody) },
    responses: { 201: { description: "The action item", ...jsonBody(ActionItemRef) }, ...errors, 404: missing },
  });
  add({
    method: "patch",
    path: "/api/v1/postmortems/{id}/action-items/{itemId}",
    summary: "Change an action item's title, owner, due date or status",
    request: { params: item, body: jsonBody(UpdateActionItemBody) },
    responses: { 200: { description: "The action item", ...jsonBody(ActionItemRef) }, ...errors, 404: missing },
  });
  add({
    method: "delete",
    path: "/api/v1/postmortems/{id}/action-items/{itemId}",
    summary: "Remove an action item (a ticket made from it stays in its tracker)",
    request: { params: item },
    responses: { 204: { description: "Removed" }, ...errors, 404: missing },
  });
  add({
    method: "post",
    path: "/api/v1/postmortems/{id}/action-items/{itemId}/ticket",
    summary: "File the action item in Jira or GitHub (whichever is configured)",
    description:
      "Answers 202 at once: the worker files the ticket. Poll the action item: `ticket.state` becomes created (with key and url) or failed (with the tracker's own error).",
    request: { params: item },
    responses: {
      202: { description: "Pending", ...jsonBody(ActionItemRef) },
      ...errors,
      404: missing,
      409: problem("It already has a ticket, or one is being created"),
      503: problem("No tracker is configured"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/incidents/{ref}/postmortem",
    summary: "The incident's postmortem (the draft as JSON, with `markdown`)",
    request: { params: ref },
    responses: {
      200: { description: "The postmortem", ...jsonBody(PostmortemRef) },
      ...errors,
      404: problem("No such incident, or no postmortem yet"),
    },
  });
  add({
    method: "post",
    path: "/api/v1/incidents/{ref}/postmortem",
    summary: "Write the incident's postmortem now, or refresh it from the incident's record",
    description: "Sections people edited are kept word for word; only sections still as last generated are refreshed.",
    request: { params: ref },
    responses: {
      200: { description: "Refreshed", ...jsonBody(PostmortemRef) },
      201: { description: "Drafted", ...jsonBody(PostmortemRef) },
      ...errors,
      404: problem("No such incident"),
      409: problem("The postmortem is published"),
    },
  });
}
