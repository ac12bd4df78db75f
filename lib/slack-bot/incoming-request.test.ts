import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { readSlackBody } from "./incoming-request";

const form = "application/x-www-form-urlencoded";

describe("reading what Slack sent", () => {
  it("reads a slash command's form fields", () => {
    const body = new URLSearchParams({ command: "/incident", text: "list", user_id: "U1" }).toString();
    expect(readSlackBody(body, form)).toEqual({
      kind: "dispatch",
      body: { command: "/incident", text: "list", user_id: "U1" },
    });
  });

  it("reads an interaction's payload field as JSON", () => {
    const body = new URLSearchParams({ payload: JSON.stringify({ type: "block_actions", actions: [] }) }).toString();
    expect(readSlackBody(body, form)).toEqual({ kind: "dispatch", body: { type: "block_actions", actions: [] } });
  });

  it("turns NUL characters, which PostgreSQL cannot store, into U+FFFD in commands, payloads and events", () => {
    const command = new URLSearchParams({ command: "/incident", text: "declare x\u0000y", user_id: "U1" }).toString();
    expect(command).toContain("%00");
    expect(readSlackBody(command, form)).toMatchObject({ body: { text: "declare x\ufffdy" } });
    const payload = new URLSearchParams({
      payload: JSON.stringify({
        type: "view_submission",
        view: { state: { values: { note: { v: { value: "a\u0000" } } } } },
      }),
    }).toString();
    expect(readSlackBody(payload, form)).toMatchObject({
      body: { view: { state: { values: { note: { v: { value: "a\ufffd" } } } } } },
    });
    const event = JSON.stringify({ type: "event_callback", event: { type: "message", text: "\u0000" } });
    expect(readSlackBody(event, "application/json")).toMatchObject({ body: { event: { text: "\ufffd" } } });
  });

  it("answers the Events API url_verification challenge and reads event callbacks", () => {
    expect(
      readSlackBody(
        JSON.stringify({ type: "url_verification", challenge: "3eZbrw1aB", token: "x" }),
        "application/json",
      ),
    ).toEqual({ kind: "url_verification", challenge: "3eZbrw1aB" });
    const event = { type: "event_callback", event: { type: "pin_added" } };
    expect(readSlackBody(JSON.stringify(event), "application/json; charset=utf-8")).toEqual({
      kind: "dispatch",
      body: event,
    });
  });

  it("refuses an interaction payload in a shape Slack never sends, which Bolt would crash on after the 200", () => {
    for (const payload of [
      { type: "block_actions", user: { id: "U1" }, actions: { action_id: "x" } },
      { type: "block_actions", user: { id: "U1" }, actions: 0 },
      { type: "block_actions", user: { id: "U1" }, actions: [null] },
      { type: "block_actions", user: null, actions: [] },
      { type: "view_submission", user: { id: "U1" }, view: "v" },
      { type: 7, actions: [] },
    ]) {
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      expect(() => readSlackBody(body, form), JSON.stringify(payload)).toThrow(
        "The payload field is not an interaction payload",
      );
    }
  });

  it("refuses a payload or event nested too deep to walk, as invalid rather than a stack overflow", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const payload = new URLSearchParams({ payload: `{"type":"block_actions","x":${deep}}` }).toString();
    expect(() => readSlackBody(payload, form)).toThrow("The payload field nests deeper than 64 levels");
    const event = `{"type":"event_callback","event":{"type":"pin_added","x":${deep}}}`;
    expect(() => readSlackBody(event, "application/json")).toThrow("The body nests deeper than 64 levels");
  });

  it("recognises Slack's ssl_check", () => {
    expect(readSlackBody("ssl_check=1&token=x", form)).toEqual({ kind: "ssl_check" });
  });

  it("refuses anything else as invalid, never with a crash", () => {
    for (const [body, type] of [
      ["payload=%7Bnot-json", form],
      ["hello=world", form],
      ["[1]", "application/json"],
      ['{"type":"event_callback"}', "application/json"],
    ] as const) {
      expect(() => readSlackBody(body, type)).toThrow(AppError);
    }
  });
});
