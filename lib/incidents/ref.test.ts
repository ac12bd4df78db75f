import { describe, expect, it } from "vitest";
import { formatIncidentRef, parseIncidentRef } from "./ref";

describe("incident references", () => {
  it("reads INC-<n>, a bare number, and a UUID", () => {
    expect(parseIncidentRef("INC-42")).toEqual({ number: 42 });
    expect(parseIncidentRef("inc-7")).toEqual({ number: 7 });
    expect(parseIncidentRef("42")).toEqual({ number: 42 });
    expect(parseIncidentRef("6F9619FF-8B86-4011-B42D-00CF4FC964FF")).toEqual({
      id: "6f9619ff-8b86-4011-b42d-00cf4fc964ff",
    });
  });

  it("rejects anything else, including numbers the column cannot hold", () => {
    for (const bad of ["", "INC-", "INC-0", "INC-x", "INC-99999999999", "'; drop table incidents"])
      expect(parseIncidentRef(bad)).toBeNull();
  });

  it("formats numbers as INC-<n>", () => {
    expect(formatIncidentRef(123)).toBe("INC-123");
  });
});
