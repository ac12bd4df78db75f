import { describe, expect, it } from "vitest";
import { auditCsvRow, csvCell } from "./audit-csv";

describe("audit CSV", () => {
  it("quotes cells with commas, quotes and line breaks", () => {
    expect(csvCell('Rolled back, "fast"')).toBe('"Rolled back, ""fast"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
  });

  it("defuses cells a spreadsheet would run as formulas", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
  });

  it("writes one row per entry with details as JSON", () => {
    const row = auditCsvRow({
      id: 7,
      timestamp: "2026-11-28T08:00:00.000Z",
      actor: { type: "user", id: "u1", name: "Bob", user_id: "u1" },
      action: "incident.resolve",
      resource_type: "incident",
      resource_id: "i1",
      details: { ref: "INC-3" },
      ip_address: "203.0.113.7",
    });
    expect(row).toBe(
      '7,2026-11-28T08:00:00.000Z,user,u1,Bob,u1,incident.resolve,incident,i1,203.0.113.7,"{""ref"":""INC-3""}"',
    );
  });
});
