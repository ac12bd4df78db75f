import { describe, expect, it } from "vitest";
import { parseIncidentCommand, parseOnCallCommand, parseRunbookCommand } from "./command-parsing";
import { slackTextToPlain } from "./slack-text";

describe("/incident parsing", () => {
  it("reads each subcommand with its incident reference", () => {
    expect(parseIncidentCommand("list")).toEqual({ name: "list" });
    expect(parseIncidentCommand("show INC-123")).toEqual({ name: "show", ref: "INC-123" });
    expect(parseIncidentCommand("ack inc-7")).toEqual({ name: "ack", ref: "INC-7" });
    expect(parseIncidentCommand("acknowledge INC-7")).toEqual({ name: "ack", ref: "INC-7" });
    expect(parseIncidentCommand("escalate INC-7")).toEqual({ name: "escalate", ref: "INC-7" });
    expect(parseIncidentCommand("resolve INC-7 rolled back   the deploy")).toEqual({
      name: "resolve",
      ref: "INC-7",
      note: "rolled back   the deploy",
    });
    expect(parseIncidentCommand("resolve INC-7")).toEqual({ name: "resolve", ref: "INC-7" });
    expect(parseIncidentCommand("note INC-7 5 pods restarted")).toEqual({
      name: "note",
      ref: "INC-7",
      text: "5 pods restarted",
    });
    expect(parseIncidentCommand("create Checkout is down")).toEqual({ name: "create", title: "Checkout is down" });
    expect(parseIncidentCommand("create")).toEqual({ name: "create" });
    expect(parseIncidentCommand("  HELP ")).toEqual({ name: "help" });
    expect(parseIncidentCommand("")).toEqual({ name: "help" });
  });

  it("accepts an incident id as well as INC-<n>, and leaves the reference out when none is given", () => {
    expect(parseIncidentCommand("show 6F9619FF-8B86-4011-B42D-00CF4FC964FF")).toEqual({
      name: "show",
      ref: "6f9619ff-8b86-4011-b42d-00cf4fc964ff",
    });
    expect(parseIncidentCommand("ack")).toEqual({ name: "ack" });
    // A bare number is text, not a reference: the note is about five pods.
    expect(parseIncidentCommand("note 5 pods restarted")).toEqual({ name: "note", text: "5 pods restarted" });
  });

  it("reads the assignee from a Slack mention, an email (plain or as Slack links it) or `me`", () => {
    expect(parseIncidentCommand("assign INC-7 <@U024BE7LH|bob>")).toEqual({
      name: "assign",
      ref: "INC-7",
      assignee: { slackUserId: "U024BE7LH" },
    });
    expect(parseIncidentCommand("assign INC-7 <@W024BE7LH>")).toEqual({
      name: "assign",
      ref: "INC-7",
      assignee: { slackUserId: "W024BE7LH" },
    });
    expect(parseIncidentCommand("assign INC-7 <mailto:bob@example.com|bob@example.com>")).toEqual({
      name: "assign",
      ref: "INC-7",
      assignee: { email: "bob@example.com" },
    });
    expect(parseIncidentCommand("assign INC-7 bob@example.com")).toEqual({
      name: "assign",
      ref: "INC-7",
      assignee: { email: "bob@example.com" },
    });
    expect(parseIncidentCommand("assign me")).toEqual({ name: "assign", assignee: { self: true } });
  });

  it("turns Slack's escaping back into plain text in notes and titles", () => {
    expect(
      parseIncidentCommand("note INC-7 p99 &gt; 2s for <@U1|alice> &amp; <https://grafana.example/d/x|the dashboard>"),
    ).toEqual({
      name: "note",
      ref: "INC-7",
      text: "p99 > 2s for @alice & the dashboard (https://grafana.example/d/x)",
    });
  });

  it("explains what is wrong instead of guessing", () => {
    expect(parseIncidentCommand("frobnicate INC-7")).toEqual({ name: "usage", problem: "I don't know `frobnicate`." });
    expect(parseIncidentCommand("show 12")).toMatchObject({ name: "usage" });
    expect(parseIncidentCommand("note INC-7")).toMatchObject({
      name: "usage",
      problem: expect.stringContaining("/incident note INC-123"),
    });
    expect(parseIncidentCommand("assign INC-7 @bob")).toMatchObject({
      name: "usage",
      problem: expect.stringContaining("Mention them with @"),
    });
    expect(parseIncidentCommand("assign INC-7")).toMatchObject({ name: "usage" });
    expect(parseIncidentCommand("list everything")).toMatchObject({ name: "usage" });
  });
});

describe("/incident snooze and maintenance parsing", () => {
  it("reads a snooze with an optional incident and duration", () => {
    expect(parseIncidentCommand("snooze INC-7 4h")).toEqual({ name: "snooze", ref: "INC-7", duration: "4h" });
    expect(parseIncidentCommand("snooze")).toEqual({ name: "snooze" });
    expect(parseIncidentCommand("mute 30m")).toEqual({ name: "snooze", duration: "30m" });
    expect(parseIncidentCommand("snooze INC-7 for a while")).toMatchObject({ name: "usage" });
  });

  it("reads a window's duration, matchers (service, team, any label) and reason", () => {
    expect(parseIncidentCommand("maintenance start 2h service=checkout env=prod  Postgres 17 upgrade")).toEqual({
      name: "maintenance",
      action: {
        name: "start",
        duration: "2h",
        service: "checkout",
        labels: { env: "prod" },
        reason: "Postgres 17 upgrade",
      },
    });
    expect(parseIncidentCommand("maint start 1h30m team=storage rack move")).toMatchObject({
      action: { name: "start", duration: "1h30m", team: "storage", labels: {}, reason: "rack move" },
    });
    expect(parseIncidentCommand("maintenance")).toEqual({ name: "maintenance", action: { name: "list" } });
    const id = "0b6c7a8e-1f2d-4c3b-9a8e-7f6d5c4b3a21";
    expect(parseIncidentCommand(`maintenance end ${id}`)).toEqual({ name: "maintenance", action: { name: "end", id } });
  });

  it("explains what is missing: a duration, a matcher, a reason, a window id", () => {
    for (const text of [
      "maintenance start service=checkout why",
      "maintenance start 2h just because",
      "maintenance start 2h service=checkout",
      "maintenance end INC-4",
      "maintenance pause",
    ])
      expect(parseIncidentCommand(text), text).toMatchObject({ name: "usage" });
    expect(parseIncidentCommand("maintenance start 2h just because")).toMatchObject({
      problem: expect.stringMatching(/^Name what the window covers/),
    });
  });
});

describe("/runbook parsing", () => {
  it("reads list, show and run", () => {
    expect(parseRunbookCommand("list")).toEqual({ name: "list" });
    expect(parseRunbookCommand("show restart-api")).toEqual({ name: "show", slug: "restart-api" });
    expect(parseRunbookCommand("run restart-api inc-12")).toEqual({ name: "run", slug: "restart-api", ref: "INC-12" });
    expect(parseRunbookCommand("")).toEqual({ name: "help" });
  });

  it("explains usage for anything else", () => {
    expect(parseRunbookCommand("run restart-api")).toMatchObject({
      name: "usage",
      problem: "Use `/runbook run <runbook> INC-123`.",
    });
    expect(parseRunbookCommand("show")).toMatchObject({ name: "usage" });
    expect(parseRunbookCommand("delete everything")).toMatchObject({
      name: "usage",
      problem: "I don't know `delete`.",
    });
  });
});

describe("Slack text", () => {
  it("unwraps channels, broadcasts, mailto links and bare links", () => {
    expect(slackTextToPlain("<#C123|ops> <!here> <mailto:a@b.co|a@b.co> <https://x.example> <@U9>")).toBe(
      "#ops @here a@b.co https://x.example @U9",
    );
  });
});

describe("parseOnCallCommand", () => {
  it("asks for everyone, a team, a service, or a name that may be either", () => {
    expect(parseOnCallCommand("")).toEqual({ name: "who", scope: { kind: "everyone" } });
    expect(parseOnCallCommand("team  platform")).toEqual({ name: "who", scope: { kind: "team", value: "platform" } });
    expect(parseOnCallCommand("service checkout api")).toEqual({
      name: "who",
      scope: { kind: "service", value: "checkout api" },
    });
    expect(parseOnCallCommand("payments")).toEqual({
      name: "who",
      scope: { kind: "team_or_service", value: "payments" },
    });
    expect(parseOnCallCommand("team")).toMatchObject({ name: "usage" });
    expect(parseOnCallCommand("help")).toEqual({ name: "help" });
  });
});
