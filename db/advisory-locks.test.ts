import { expect, it } from "vitest";
import { advisoryLocks } from "./advisory-locks";

it("gives every kind of locked work its own number", () => {
  const numbers = Object.values(advisoryLocks);
  expect(new Set(numbers).size).toBe(numbers.length);
  expect(advisoryLocks.postmortemDraft).not.toBe(advisoryLocks.remediationRate);
});
