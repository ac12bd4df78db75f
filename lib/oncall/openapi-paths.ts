// The on-call endpoints in the OpenAPI document (lib/openapi/document.ts calls this with its helpers),
// described from the same zod schemas the verbs validate with.
import { z } from "zod";
import type { OpenApiHelpers } from "../openapi/helpers";
import { CalendarFeed, CreateFeedInput, ShiftList, ShiftsQuery } from "./calendars";
import { ContactMethodFields, NotificationRuleFields } from "./contact-methods";
import { EscalationPolicyFields } from "./escalation-policy";
import { AddPersonInput, Person, UpdatePersonBody } from "./people";
import { EscalationPolicyDto } from "./policies";
import { LayerFields, OverrideFields, ScheduleDto, ScheduleFields, UpdateScheduleBody } from "./schedules";
import { OnCallAnswer, OnCallQuery } from "./who-is-on-call";

export function registerOnCallPaths({ add, named, jsonBody, problem, errors }: OpenApiHelpers): void {
  const PersonRef = named("Person", Person);
  const ScheduleRef = named("Schedule", ScheduleDto);
  const PolicyRef = named("EscalationPolicy", EscalationPolicyDto);
  const person = z.object({ id: z.string().describe("The person's id, or `me`") });
  const method = person.extend({ methodId: z.uuid() });
  const rule = person.extend({ ruleId: z.uuid() });
  const schedule = z.object({ id: z.uuid().describe("The schedule's id") });
  const layer = schedule.extend({ layerId: z.uuid() });
  const override = schedule.extend({ overrideId: z.uuid() });
  const policy = z.object({ id: z.uuid().describe("The escalation policy's id") });
  const missing = (what: string) => problem(`No such ${what}`);
  const conflict = (why: string) => problem(why);
  const personChange = (summary: string, extra: Record<string, unknown> = {}) => ({
    summary,
    description: "Your own as a responder (`me`), anyone's as an admin.",
    responses: {
      200: { description: "The person after the change", ...jsonBody(PersonRef) },
      ...errors,
      404: missing("person (or contact method, or rule)"),
    },
    ...extra,
  });
  const scheduleChange = (summary: string) => ({
    200: { description: `${summary}: the schedule after the change, with lint warnings`, ...jsonBody(ScheduleRef) },
    ...errors,
    404: missing("schedule (or layer, or override)"),
  });

  add({
    method: "get",
    path: "/api/v1/people",
    summary: "Everyone, with time zone, contact methods, notification rules and the no-contact-methods flag",
    responses: { 200: { description: "People", ...jsonBody(z.object({ data: z.array(PersonRef) })) }, ...errors },
  });
  add({
    method: "post",
    path: "/api/v1/people",
    summary: "Add a person before their first sign-in (admin); linked by email when they first sign in",
    request: { body: jsonBody(AddPersonInput) },
    responses: {
      201: { description: "Added", ...jsonBody(PersonRef) },
      ...errors,
      409: conflict("Someone has that email"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/people/{id}",
    summary: "One person's on-call details",
    request: { params: person },
    responses: { 200: { description: "The person", ...jsonBody(PersonRef) }, ...errors, 404: missing("person") },
  });
  add({
    method: "patch",
    path: "/api/v1/people/{id}",
    request: { params: person, body: jsonBody(UpdatePersonBody) },
    ...personChange("Change a person's name or IANA time zone"),
  });
  add({
    method: "post",
    path: "/api/v1/people/{id}/contact-methods",
    request: { params: person, body: jsonBody(ContactMethodFields) },
    ...personChange("Add a contact method: email, SMS or voice (E.164), Slack user id"),
  });
  add({
    method: "delete",
    path: "/api/v1/people/{id}/contact-methods/{methodId}",
    request: { params: method },
    ...personChange("Remove a contact method and the rules that use it"),
  });
  add({
    method: "post",
    path: "/api/v1/people/{id}/contact-methods/{methodId}/test",
    summary: "Queue a test message to this contact method (sent by the worker)",
    request: { params: method },
    responses: {
      202: {
        description: "Queued",
        ...jsonBody(z.object({ queued: z.literal(true), contact_method_id: z.uuid() })),
      },
      ...errors,
      404: missing("person or contact method"),
    },
  });
  add({
    method: "post",
    path: "/api/v1/people/{id}/notification-rules",
    request: { params: person, body: jsonBody(NotificationRuleFields) },
    ...personChange("Add a rule: this contact method after N minutes, for high (P0-P1) or low (P2-P4) urgency"),
  });
  add({
    method: "delete",
    path: "/api/v1/people/{id}/notification-rules/{ruleId}",
    request: { params: rule },
    ...personChange("Remove a notification rule"),
  });

  add({
    method: "get",
    path: "/api/v1/schedules",
    summary: "Every schedule",
    responses: {
      200: {
        description: "Schedules",
        ...jsonBody(
          z.object({
            data: z.array(
              z.object({ id: z.uuid(), name: z.string(), team: z.string().nullable(), time_zone: z.string() }),
            ),
          }),
        ),
      },
      ...errors,
    },
  });
  add({
    method: "post",
    path: "/api/v1/schedules",
    summary: "Create a schedule with its layers (admin); the answer carries lint warnings",
    request: { body: jsonBody(ScheduleFields) },
    responses: {
      201: { description: "Created", ...jsonBody(ScheduleRef) },
      ...errors,
      409: conflict("A schedule has that name"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/schedules/{id}",
    summary: "A schedule: layers, overrides, the final schedule for two weeks (gaps as empty user_ids), warnings",
    request: { params: schedule },
    responses: { 200: { description: "The schedule", ...jsonBody(ScheduleRef) }, ...errors, 404: missing("schedule") },
  });
  add({
    method: "patch",
    path: "/api/v1/schedules/{id}",
    summary: "Rename a schedule, or change its description, team or time zone (admin)",
    request: { params: schedule, body: jsonBody(UpdateScheduleBody) },
    responses: scheduleChange("Changed"),
  });
  add({
    method: "delete",
    path: "/api/v1/schedules/{id}",
    summary: "Delete a schedule with its layers and overrides (admin)",
    request: { params: schedule },
    responses: {
      200: { description: "Deleted", ...jsonBody(z.object({ deleted: z.literal(true) })) },
      ...errors,
      404: missing("schedule"),
    },
  });
  add({
    method: "post",
    path: "/api/v1/schedules/{id}/layers",
    summary: "Add a layer on top (admin)",
    request: { params: schedule, body: jsonBody(LayerFields) },
    responses: scheduleChange("Added"),
  });
  add({
    method: "put",
    path: "/api/v1/schedules/{id}/layers/{layerId}",
    summary: "Replace a layer's settings (admin)",
    request: { params: layer, body: jsonBody(LayerFields) },
    responses: scheduleChange("Replaced"),
  });
  add({
    method: "delete",
    path: "/api/v1/schedules/{id}/layers/{layerId}",
    summary: "Remove a layer (admin)",
    request: { params: layer },
    responses: scheduleChange("Removed"),
  });
  add({
    method: "post",
    path: "/api/v1/schedules/{id}/overrides",
    summary: "Override: a person replaces another (or whoever is on call), or is added, for a range (responder)",
    description: "Overrides stack in the order they are made, so an override can itself be overridden.",
    request: { params: schedule, body: jsonBody(OverrideFields) },
    responses: scheduleChange("Added"),
  });
  add({
    method: "delete",
    path: "/api/v1/schedules/{id}/overrides/{overrideId}",
    summary: "Remove an override (responder)",
    request: { params: override },
    responses: scheduleChange("Removed"),
  });
  add({
    method: "get",
    path: "/api/v1/schedules/{id}/shifts",
    summary: "The final schedule's shifts over a range (at most 400 days), as JSON or CSV for on-call pay",
    request: { params: schedule, query: ShiftsQuery },
    responses: {
      200: {
        description: "Shifts",
        content: { "application/json": { schema: ShiftList }, "text/csv": { schema: z.string() } },
      },
      ...errors,
      404: missing("schedule"),
    },
  });

  add({
    method: "get",
    path: "/api/v1/escalation-policies",
    summary: "Every escalation policy, with lint warnings",
    responses: { 200: { description: "Policies", ...jsonBody(z.object({ data: z.array(PolicyRef) })) }, ...errors },
  });
  add({
    method: "post",
    path: "/api/v1/escalation-policies",
    summary: "Create an escalation policy (admin); targets that do not exist are refused, naming the field",
    request: { body: jsonBody(EscalationPolicyFields) },
    responses: {
      201: { description: "Created, with lint warnings", ...jsonBody(PolicyRef) },
      ...errors,
      409: conflict("A policy has that name"),
    },
  });
  add({
    method: "get",
    path: "/api/v1/escalation-policies/{id}",
    summary: "One escalation policy",
    request: { params: policy },
    responses: { 200: { description: "The policy", ...jsonBody(PolicyRef) }, ...errors, 404: missing("policy") },
  });
  add({
    method: "put",
    path: "/api/v1/escalation-policies/{id}",
    summary: "Replace an escalation policy (admin)",
    request: { params: policy, body: jsonBody(EscalationPolicyFields) },
    responses: {
      200: { description: "Replaced, with lint warnings", ...jsonBody(PolicyRef) },
      ...errors,
      404: missing("policy"),
      409: conflict("The name is taken, or the routing file names the old name"),
    },
  });
  add({
    method: "delete",
    path: "/api/v1/escalation-policies/{id}",
    summary: "Delete an escalation policy (admin); refused while the routing file names it",
    request: { params: policy },
    responses: {
      200: { description: "Deleted", ...jsonBody(z.object({ deleted: z.literal(true) })) },
      ...errors,
      404: missing("policy"),
      409: conflict("The routing file names this policy"),
    },
  });

  add({
    method: "get",
    path: "/api/v1/oncall",
    summary: "Who is on call at an instant (default now), per schedule, and until when",
    request: { query: OnCallQuery },
    responses: { 200: { description: "Who is on call", ...jsonBody(OnCallAnswer) }, ...errors },
  });
  add({
    method: "post",
    path: "/api/v1/calendar-feeds",
    summary: "A secret iCal URL for your shifts (`me`; anyone's as admin) or a schedule's; shown once",
    request: { body: jsonBody(CreateFeedInput) },
    responses: {
      201: { description: "The feed", ...jsonBody(CalendarFeed) },
      ...errors,
      404: missing("person or schedule"),
    },
  });
  add({
    method: "delete",
    path: "/api/v1/calendar-feeds/{id}",
    summary: "Revoke a calendar feed at once (its owner, or an admin)",
    request: { params: z.object({ id: z.uuid() }) },
    responses: {
      200: { description: "Revoked", ...jsonBody(z.object({ revoked: z.literal(true) })) },
      ...errors,
      404: missing("calendar feed"),
    },
  });
  add({
    method: "get",
    path: "/api/calendar/{token}",
    summary: "An iCal feed: shifts from 14 days back to 180 days ahead, every event free (TRANSP:TRANSPARENT)",
    description: "The secret token in the URL is the credential; a revoked or unknown one answers 404.",
    security: [],
    request: { params: z.object({ token: z.string() }) },
    responses: {
      200: { description: "iCalendar", content: { "text/calendar": { schema: z.string() } } },
      404: missing("calendar feed"),
    },
  });
}
