// The Slack bot's modals: declaring an incident and adding a timeline note. Each carries what the
// submission needs in private_metadata (Slack gives it back untouched; we still check it), and each input
// block is named like the verb's field, so a field error from the verb lands on the right input.
import type { KnownBlock, ModalView, PlainTextOption } from "@slack/web-api";
import { z } from "zod";
import { severities, type Severity } from "../incidents/schemas";
import type { Incident } from "../incidents/schemas";
import { clip } from "./slack-text";

export const viewCallbacks = { createIncident: "incident_create", addNote: "incident_note" } as const;

/** Where to tell the person how it went: the channel they were in and a response_url, when there was one. */
export const ViewOrigin = z.object({
  channel_id: z.string().max(40).optional(),
  response_url: z.url().max(1000).optional(),
});
export type ViewOrigin = z.infer<typeof ViewOrigin>;

export const CreateIncidentMetadata = ViewOrigin;
export const AddNoteMetadata = ViewOrigin.extend({ incident_id: z.uuid() });
export type AddNoteMetadata = z.infer<typeof AddNoteMetadata>;

const severityText: Record<Severity, string> = {
  P0: "P0 · critical, all hands",
  P1: "P1 · major customer impact",
  P2: "P2 · partial impact",
  P3: "P3 · minor",
  P4: "P4 · no impact yet",
};
const severityOption = (s: Severity): PlainTextOption => ({
  text: { type: "plain_text", text: severityText[s] },
  value: s,
});

const plain = (text: string) => ({ type: "plain_text" as const, text });

export function createIncidentModal(options: { title?: string; origin: ViewOrigin }): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: "input",
      block_id: "title",
      label: plain("Title"),
      element: {
        type: "plain_text_input",
        action_id: "value",
        max_length: 300,
        placeholder: plain("What is broken, for whom"),
        ...(options.title ? { initial_value: clip(options.title, 300) } : {}),
      },
    },
    {
      type: "input",
      block_id: "severity",
      label: plain("Severity"),
      element: {
        type: "static_select",
        action_id: "value",
        options: severities.map(severityOption),
        initial_option: severityOption("P3"),
      },
    },
    {
      type: "input",
      block_id: "service",
      optional: true,
      label: plain("Service"),
      element: { type: "plain_text_input", action_id: "value", max_length: 100 },
    },
    {
      type: "input",
      block_id: "description",
      optional: true,
      label: plain("Description"),
      element: { type: "plain_text_input", action_id: "value", multiline: true, max_length: 3000 },
    },
  ];
  return {
    type: "modal",
    callback_id: viewCallbacks.createIncident,
    title: plain("Declare an incident"),
    submit: plain("Declare"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify(options.origin),
    blocks,
  };
}

export function addNoteModal(incident: Incident, origin: ViewOrigin): ModalView {
  const metadata: AddNoteMetadata = { ...origin, incident_id: incident.id };
  return {
    type: "modal",
    callback_id: viewCallbacks.addNote,
    title: plain("Timeline note"),
    submit: plain("Add note"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      { type: "context", elements: [{ type: "plain_text", text: clip(`${incident.ref}: ${incident.title}`, 300) }] },
      {
        type: "input",
        block_id: "text",
        label: plain("What did you see, try or decide?"),
        element: { type: "plain_text_input", action_id: "value", multiline: true, max_length: 3000 },
      },
    ],
  };
}

// ---- Reading a submission ----

const InputValue = z.object({ value: z.string().nullish() }).loose();
const SelectValue = z.object({ selected_option: z.object({ value: z.string() }).nullish() }).loose();
const StateValues = z.record(z.string(), z.record(z.string(), z.unknown()));

/** The submitted values, by block id; an absent or emptied optional input is undefined. */
function field(values: z.infer<typeof StateValues>, block: string): string | undefined {
  const element = values[block]?.value;
  const text = InputValue.safeParse(element);
  if (text.success && typeof text.data.value === "string") return text.data.value.trim() || undefined;
  const select = SelectValue.safeParse(element);
  return select.success ? select.data.selected_option?.value : undefined;
}

/** The create form as createIncident's input (the verb validates it). */
export function readCreateIncidentForm(stateValues: unknown): Record<string, unknown> {
  const values = StateValues.catch({}).parse(stateValues);
  const description = field(values, "description");
  const service = field(values, "service");
  return {
    title: field(values, "title") ?? "",
    severity: field(values, "severity"),
    ...(service ? { service } : {}),
    ...(description ? { description } : {}),
  };
}

export function readNoteForm(stateValues: unknown): string {
  return field(StateValues.catch({}).parse(stateValues), "text") ?? "";
}

/** private_metadata back from Slack, or null when it is not what we put there. */
export function readMetadata<S extends z.ZodType>(schema: S, text: unknown): z.output<S> | null {
  if (typeof text !== "string") return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
