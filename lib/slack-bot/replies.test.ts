import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { sampleIncident } from "@/test/incident-fixture";
import { failure, formatAge, incidentDetails, incidentList, linkInstructions } from "./replies";

const now = new Date("2026-11-28T09:00:00Z");

describe("what the bot says", () => {
  it("formats ages the way people read them", () => {
    expect(formatAge("2026-11-28T08:59:15Z", now)).toBe("45s");
    expect(formatAge("2026-11-28T08:48:00Z", now)).toBe("12m");
    expect(formatAge("2026-11-28T05:55:00Z", now)).toBe("3h 5m");
    expect(formatAge("2026-11-26T05:00:00Z", now)).toBe("2d 4h");
  });

  it("lists incidents with severity, link, status, owner and age, escaping their titles", () => {
    const reply = incidentList(
      [sampleIncident({ title: "a <b> & c", detected_at: "2026-11-28T08:00:00Z" })],
      false,
      "https://vigil.example.com",
      now,
    );
    expect(reply).toMatchObject({ response_type: "ephemeral" });
    expect(reply.text).toContain(
      "🔴 *P1* <https://vigil.example.com/incidents/INC-7|INC-7> a &lt;b&gt; &amp; c · open · unassigned · 1h 0m",
    );
    expect(incidentList([], false, "http://x", now).text).toBe("No active incidents. 🎉");
  });

  it("shows one incident as its card, with its description and latest timeline", () => {
    const incident = sampleIncident({ description: "Payments fail" });
    const reply = incidentDetails(
      incident,
      [
        {
          id: 1,
          incident_id: incident.id,
          at: "2026-11-28T08:58:00Z",
          kind: "note",
          actor: { type: "user", id: null, name: "Bob" },
          text: "looking",
          data: {},
        },
      ],
      "http://x",
      now,
    );
    const json = JSON.stringify(reply.blocks);
    expect(json).toContain("Payments fail");
    expect(json).toContain("2m ago, Bob: looking");
    expect(json).toContain("incident_acknowledge");
  });

  it("tells an unknown Slack user how to link, with their Slack user id", () => {
    const text = linkInstructions({ slackUserId: "U9", email: "dora@example.com", appUrl: "http://x" }).text;
    expect(text).toContain("No Vigil account has your Slack email (dora@example.com)");
    expect(text).toContain('{"slack_user_id": "U9"}');
  });

  it("explains refusals and failures without internals", () => {
    expect(
      failure(
        new AppError("forbidden", "Your role (viewer) does not allow incident.acknowledge"),
        "acknowledge INC-7",
        "viewer",
        "r1",
      ).text,
    ).toMatch(/role is \*viewer\*, which does not allow you to acknowledge INC-7/);
    expect(
      failure(new AppError("not_found", "Incident INC-9 was not found"), "show INC-9", "viewer", "r1").text,
    ).toMatch(/^Incident INC-9 was not found\./);
    const crash = failure(
      new Error("connection reset at Socket.foo (node:net:123)"),
      "resolve INC-7",
      "responder",
      "req-42",
    ).text;
    expect(crash).toBe(
      "Something went wrong while trying to resolve INC-7. It has been logged (request req-42); try again, or use Vigil's web page.",
    );
  });
});
