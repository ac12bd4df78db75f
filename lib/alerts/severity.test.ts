import { describe, expect, it } from "vitest";
import { moreSevere, parseSeverityMap, severityOfAlert } from "./severity";

describe("alert severity", () => {
  it("maps the severity label: page P1, critical P2, error P2, warning P3, info P4", () => {
    expect(["page", "critical", "error", "warning", "info"].map((severity) => severityOfAlert({ severity }))).toEqual([
      "P1",
      "P2",
      "P2",
      "P3",
      "P4",
    ]);
  });

  it("takes P3 when the severity label is missing or unknown", () => {
    expect(severityOfAlert({})).toBe("P3");
    expect(severityOfAlert({ severity: "disaster" })).toBe("P3");
  });

  it("lets a priority label P0..P4 win over the severity label", () => {
    expect(severityOfAlert({ priority: "P0", severity: "info" })).toBe("P0");
    expect(severityOfAlert({ priority: "p2", severity: "page" })).toBe("P2");
    expect(severityOfAlert({ priority: "urgent", severity: "page" })).toBe("P1");
  });

  it("reads a configured map over the defaults", () => {
    const map = parseSeverityMap("critical=P1, sev4=P4, default=P4");
    expect(severityOfAlert({ severity: "critical" }, map)).toBe("P1");
    expect(severityOfAlert({ severity: "sev4" }, map)).toBe("P4");
    expect(severityOfAlert({ severity: "page" }, map)).toBe("P1");
    expect(severityOfAlert({}, map)).toBe("P4");
    expect(() => parseSeverityMap("critical=high")).toThrow(/label=P0..P4/);
  });

  it("orders severities with P0 the most severe", () => {
    expect(moreSevere("P3", "P1")).toBe("P1");
    expect(moreSevere("P0", "P4")).toBe("P0");
  });
});
