import { describe, expect, it } from "vitest";
import { parseTokenExpiry } from "./token-expiry";

describe("the token CLI's --expires", () => {
  const now = new Date("2026-12-07T10:00:00Z");

  it("takes a number of days from now, or a date or time", () => {
    expect(parseTokenExpiry("90d", now).toISOString()).toBe("2027-03-07T10:00:00.000Z");
    expect(parseTokenExpiry("2027-01-31", now).toISOString()).toBe("2027-01-31T00:00:00.000Z");
    expect(parseTokenExpiry("2027-01-31T18:00:00+01:00", now).toISOString()).toBe("2027-01-31T17:00:00.000Z");
  });

  it("refuses anything else, saying what it takes", () => {
    expect(() => parseTokenExpiry("soon", now)).toThrow(/give days \("90d"\) or a date/);
    expect(() => parseTokenExpiry("3 months", now)).toThrow(/--expires 3 months/);
  });
});
