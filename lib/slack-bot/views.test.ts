import { describe, expect, it } from "vitest";
import { sampleIncident } from "@/test/incident-fixture";
import {
  AddNoteMetadata,
  addNoteModal,
  createIncidentModal,
  readCreateIncidentForm,
  readMetadata,
  readNoteForm,
} from "./views";

describe("the declare-an-incident modal", () => {
  it("asks for title, severity (P3 preselected), service and description, and carries where it came from", () => {
    const view = createIncidentModal({
      title: "Checkout down",
      origin: { channel_id: "C1", response_url: "https://hooks.slack.com/commands/1/2/3" },
    });
    expect(view).toMatchObject({ type: "modal", callback_id: "incident_create" });
    expect(view.blocks.map((b) => b.block_id)).toEqual(["title", "severity", "service", "description"]);
    expect(JSON.stringify(view.blocks[0])).toContain('"initial_value":"Checkout down"');
    expect(JSON.stringify(view.blocks[1])).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"P3 · minor"},"value":"P3"}',
    );
    expect(JSON.parse(view.private_metadata!)).toEqual({
      channel_id: "C1",
      response_url: "https://hooks.slack.com/commands/1/2/3",
    });
  });

  it("reads a submission into createIncident's input, leaving out empty optional fields", () => {
    const values = {
      title: { value: { type: "plain_text_input", value: "  Checkout down " } },
      severity: {
        value: { type: "static_select", selected_option: { value: "P1", text: { type: "plain_text", text: "P1" } } },
      },
      service: { value: { type: "plain_text_input", value: null } },
      description: { value: { type: "plain_text_input", value: "5xx everywhere" } },
    };
    expect(readCreateIncidentForm(values)).toEqual({
      title: "Checkout down",
      severity: "P1",
      description: "5xx everywhere",
    });
    expect(readCreateIncidentForm("garbage")).toEqual({ title: "", severity: undefined });
  });
});

describe("the timeline-note modal", () => {
  it("names the incident and carries its id; the submission reads back", () => {
    const incident = sampleIncident();
    const view = addNoteModal(incident, { channel_id: "C1" });
    expect(view.callback_id).toBe("incident_note");
    expect(readMetadata(AddNoteMetadata, view.private_metadata)).toEqual({
      channel_id: "C1",
      incident_id: incident.id,
    });
    expect(readNoteForm({ text: { value: { type: "plain_text_input", value: "restarted pods" } } })).toBe(
      "restarted pods",
    );
  });

  it("refuses metadata that is not what the bot put there", () => {
    expect(readMetadata(AddNoteMetadata, "{not json")).toBeNull();
    expect(readMetadata(AddNoteMetadata, JSON.stringify({ incident_id: "INC-1" }))).toBeNull();
    expect(readMetadata(AddNoteMetadata, undefined)).toBeNull();
  });
});
