import { describe, expect, it } from "vitest";
import { z } from "zod";
import { closestField, parseInput } from "./input";

describe("unknown fields", () => {
  it("are refused one by one, naming the field meant when one is close", () => {
    const Body = z.strictObject({
      resolution_note: z.string().optional(),
      labels: z.strictObject({ team: z.string() }).optional(),
    });
    expect(() =>
      parseInput(Body.extend({ ref: z.string() }), { ref: "INC-1", note: "x", labels: { taem: "a", team: "b" } }),
    ).toThrow(
      expect.objectContaining({
        code: "invalid",
        fieldErrors: [
          { path: "labels.taem", message: "unknown field; did you mean `team`?" },
          { path: "note", message: "unknown field; did you mean `resolution_note`?" },
        ],
      }),
    );
  });

  it("suggest a field a typo or a short name most likely meant, and nothing for a stranger", () => {
    expect(closestField("severty", ["title", "severity", "service"])).toBe("severity");
    expect(closestField("note", ["resolution_note"])).toBe("resolution_note");
    expect(closestField("colour", ["title", "severity"])).toBeNull();
    expect(closestField("id", ["item_id", "title"])).toBeNull();
  });
});
